/**
 * The commit strategies ({@link io.atomiccheckpoint.commit.PrefixCopyCommit}, {@link io.atomiccheckpoint.commit.CommitInPlace}, {@link io.atomiccheckpoint.commit.AtomicRename}), their settings, and reading commit markers.
 */
package io.atomiccheckpoint.commit;
