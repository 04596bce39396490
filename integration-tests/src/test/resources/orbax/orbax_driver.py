"""Asks Orbax itself about checkpoints, for OrbaxInteropTest (one process per test class).

Reads one JSON request per line on stdin and answers one JSON line on stdout, so that the JVM pays for
importing jax and Orbax (about two seconds) once. Every answer is {"ok": true, ...} or {"ok": false,
"error": "..."}; the process ends at end of input. Requests:

  {"op": "probe", "root": DIR, "final": NAME}
      For each Orbax reader mode (AUTO, COMMIT_FILE): is_path_finalized of the final directory, and the
      steps Orbax's standard name format (prefix "step") finds under the root, which is what
      CheckpointManager lists.
  {"op": "reader_class", "path": PATH}
      The TemporaryPath class Orbax picks in AUTO mode for a path (no I/O), to show what gs:// gets.
  {"op": "metadata", "path": DIR}
      _CHECKPOINT_METADATA of a checkpoint, read and deserialized by Orbax's own step-metadata reader.
  {"op": "save", "root": DIR, "mode": MODE, "steps": [..]}
      CheckpointManager saves a tiny pytree at each step (values derived from the step).
  {"op": "restore", "root": DIR, "mode": MODE, "step": N}
      CheckpointManager restores one step and checks every value; also lists the steps it sees.
"""

import json
import logging
import sys

import numpy as np
import orbax.checkpoint as ocp
from etils import epath
from orbax.checkpoint import options as options_lib
from orbax.checkpoint._src.metadata import checkpoint as checkpoint_metadata
from orbax.checkpoint._src.metadata import step_metadata_serialization
from orbax.checkpoint._src.path import atomicity_defaults
from orbax.checkpoint._src.path import step as step_lib

MODES = {
    "AUTO": options_lib.AtomicityMode.AUTO,
    "COMMIT_FILE": options_lib.AtomicityMode.COMMIT_FILE,
}


def atomicity(mode):
  return options_lib.AtomicityOptions(mode=MODES[mode])


def tree_for(step):
  return {"a": np.arange(4, dtype=np.int32) + step, "b": {"c": np.full((2,), step / 2, dtype=np.float32)}}


def manager(root, mode):
  options = ocp.CheckpointManagerOptions(
      step_prefix="step", create=True, atomicity_options=atomicity(mode),
      enable_async_checkpointing=False)
  return ocp.CheckpointManager(root, options=options)


def probe(req):
  root = epath.Path(req["root"])
  final = root / req["final"]
  out = {}
  for mode in MODES:
    name_format = step_lib.standard_name_format(step_prefix="step", atomicity_options=atomicity(mode))
    steps = sorted(m.step for m in name_format.find_all(root)) if root.exists() else []
    out[mode] = {
        "finalized": bool(step_lib.is_path_finalized(final, atomicity_options=atomicity(mode))),
        "steps": steps,
    }
  return out


def reader_class(req):
  cls = atomicity_defaults.get_default_temporary_path_class(epath.Path(req["path"]))
  return {"class": cls.__name__}


def metadata(req):
  store = checkpoint_metadata.metadata_store(enable_write=False)
  raw = store.read(checkpoint_metadata.step_metadata_file_path(req["path"]))
  if raw is None:
    return {"present": False}
  meta = step_metadata_serialization.deserialize(raw)
  return {"present": True, "init_timestamp_nsecs": meta.init_timestamp_nsecs,
          "commit_timestamp_nsecs": meta.commit_timestamp_nsecs}


def save(req):
  with manager(req["root"], req["mode"]) as mgr:
    for step in req["steps"]:
      mgr.save(step, args=ocp.args.StandardSave(tree_for(step)))
    mgr.wait_until_finished()
    return {"steps": sorted(mgr.all_steps())}


def restore(req):
  step = req["step"]
  with manager(req["root"], req["mode"]) as mgr:
    restored = mgr.restore(step, args=ocp.args.StandardRestore(tree_for(0)))
    expected = tree_for(step)
    same = (np.array_equal(np.asarray(restored["a"]), expected["a"])
            and np.array_equal(np.asarray(restored["b"]["c"]), expected["b"]["c"]))
    return {"restored": bool(same), "steps": sorted(mgr.all_steps())}


OPS = {"probe": probe, "reader_class": reader_class, "metadata": metadata, "save": save, "restore": restore}


def main():
  logging.disable(logging.WARNING)
  for line in sys.stdin:
    if not line.strip():
      continue
    try:
      req = json.loads(line)
      answer = {"ok": True, **OPS[req["op"]](req)}
    except Exception as e:  # pylint: disable=broad-except
      # The JVM side fails the test with this; the message is capped there.
      answer = {"ok": False, "error": f"{type(e).__name__}: {e}"}
    print(json.dumps(answer), flush=True)


if __name__ == "__main__":
  main()
