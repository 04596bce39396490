package io.atomiccheckpoint.djl.testing;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.translate.Translator;
import ai.djl.util.PairList;
import ai.djl.util.Utils;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A DJL {@link Model} without an engine (DJL engines download native libraries at run time, which the test
 * machines cannot): its "parameters" are a seed and a size from which the bytes are derived, so a test can make a
 * model of many megabytes without holding them, and "training" changes the seed. {@link #save} writes what
 * {@code BaseModel.save} writes ({@code <name>-<epoch, 4 digits>.params}, with the properties and the
 * parameters), plus a {@code <name>-symbol.json} as MXNet models carry, so a checkpoint has several files;
 * {@link #load} picks the params file with the highest epoch, as DJL does, and checks every byte.
 */
public final class StubModel implements Model {
    private static final byte[] MAGIC = "DJL@".getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final NDManager manager = StubTrainers.manager();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private long seed;
    private long parameterBytes;
    private Path modelPath;

    public StubModel(String name, long seed, long parameterBytes) {
        this.name = name;
        this.seed = seed;
        this.parameterBytes = parameterBytes;
    }

    /** One step of "training": new parameters. */
    public void train(long newSeed) {
        this.seed = newSeed;
    }

    public long seed() {
        return seed;
    }

    public long parameterBytes() {
        return parameterBytes;
    }

    /** The params file name DJL gives epoch {@code epoch} of a model saved as {@code modelName}. */
    public static String paramsFileName(String modelName, int epoch) {
        return String.format(Locale.ROOT, "%s-%04d.params", modelName, epoch);
    }

    @Override
    public void save(Path dir, String newModelName) throws IOException {
        String saveName = newModelName == null || newModelName.isEmpty() ? name : newModelName;
        Files.createDirectories(dir);
        String epochValue = properties.get("Epoch");
        int epoch = epochValue == null ? Utils.getCurrentEpoch(dir, saveName) + 1 : Integer.parseInt(epochValue);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(
                dir.resolve(paramsFileName(saveName, epoch))))) {
            out.write(MAGIC);
            out.writeInt(properties.size());
            for (Map.Entry<String, String> e : properties.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeLong(seed);
            out.writeLong(parameterBytes);
            writeParameters(out, seed, parameterBytes);
        }
        Files.writeString(dir.resolve(saveName + "-symbol.json"), "{\"name\":\"" + saveName + "\"}");
        modelPath = dir.toAbsolutePath();
    }

    @Override
    public void load(Path dir, String prefix, Map<String, ?> options) throws IOException {
        int epoch = Utils.getCurrentEpoch(dir, prefix);
        if (epoch < 0) {
            throw new IOException("no " + prefix + "-NNNN.params in " + dir);
        }
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(paramsFileName(prefix, epoch))))) {
            if (!java.util.Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
                throw new IOException("not a params file");
            }
            Map<String, String> read = new LinkedHashMap<>();
            for (int n = in.readInt(); n > 0; n--) {
                read.put(in.readUTF(), in.readUTF());
            }
            long readSeed = in.readLong();
            long readBytes = in.readLong();
            checkParameters(in, readSeed, readBytes);
            if (in.read() != -1) {
                throw new IOException("trailing bytes after the parameters");
            }
            properties.clear();
            properties.putAll(read);
            seed = readSeed;
            parameterBytes = readBytes;
        }
        modelPath = dir.toAbsolutePath();
    }

    /** The parameter bytes of {@code seed}, streamed: byte i is a function of the seed and i. */
    private static void writeParameters(OutputStream out, long seed, long count) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (long done = 0; done < count; ) {
            int n = (int) Math.min(buffer.length, count - done);
            for (int i = 0; i < n; i++) {
                buffer[i] = parameterByte(seed, done + i);
            }
            out.write(buffer, 0, n);
            done += n;
        }
    }

    private static void checkParameters(InputStream in, long seed, long count) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (long done = 0; done < count; ) {
            int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, count - done));
            if (n <= 0) {
                throw new IOException("parameters end after " + done + " of " + count + " bytes");
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] != parameterByte(seed, done + i)) {
                    throw new IOException("parameter byte " + (done + i) + " is not the one seed " + seed + " gives");
                }
            }
            done += n;
        }
    }

    private static byte parameterByte(long seed, long index) {
        long x = (seed * 0x9E3779B97F4A7C15L) ^ (index * 0xC2B2AE3D27D4EB4FL);
        return (byte) (x ^ (x >>> 29));
    }

    @Override
    public void load(InputStream is, Map<String, ?> options) {
        throw new UnsupportedOperationException("the stub model loads from a directory only");
    }

    @Override
    public Path getModelPath() {
        return modelPath;
    }

    @Override
    public Block getBlock() {
        return null;
    }

    @Override
    public void setBlock(Block block) {
        throw new UnsupportedOperationException("the stub model has no blocks");
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public String getProperty(String key) {
        return properties.get(key);
    }

    @Override
    public void setProperty(String key, String value) {
        properties.put(key, value);
    }

    @Override
    public NDManager getNDManager() {
        return manager;
    }

    @Override
    public Trainer newTrainer(TrainingConfig trainingConfig) {
        return new Trainer(this, trainingConfig);
    }

    @Override
    public <I, O> Predictor<I, O> newPredictor(Translator<I, O> translator, ai.djl.Device device) {
        throw new UnsupportedOperationException("the stub model does not predict");
    }

    @Override
    public PairList<String, Shape> describeInput() {
        return new PairList<>();
    }

    @Override
    public PairList<String, Shape> describeOutput() {
        return new PairList<>();
    }

    @Override
    public String[] getArtifactNames() {
        return new String[0];
    }

    @Override
    public <T> T getArtifact(String artifactName, Function<InputStream, T> function) {
        throw new UnsupportedOperationException("the stub model has no artifacts");
    }

    @Override
    public URL getArtifact(String artifactName) {
        return null;
    }

    @Override
    public InputStream getArtifactAsStream(String artifactName) {
        return null;
    }

    @Override
    public void setDataType(DataType dataType) {
        throw new UnsupportedOperationException("the stub model has no data type to change");
    }

    @Override
    public DataType getDataType() {
        return DataType.FLOAT32;
    }

    @Override
    public void close() {
    }
}
