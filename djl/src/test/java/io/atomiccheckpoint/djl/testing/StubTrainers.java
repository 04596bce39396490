package io.atomiccheckpoint.djl.testing;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import java.lang.reflect.Proxy;

/**
 * Real DJL {@link Trainer}s without an engine. A trainer's constructor needs only these of the model's
 * {@link NDManager}: a sub-manager, a name, its engine (for a parameter server, which DJL's {@code Engine} makes in
 * plain Java) and its device; the listener calls then run DJL's own {@code Trainer.notifyListeners} and
 * {@code Trainer.close}, as {@code EasyTrain.fit} does. Any other manager call fails loudly.
 */
public final class StubTrainers {
    private StubTrainers() {
    }

    /** A trainer of {@code model} that notifies {@code listeners} (their {@code onTrainingBegin} has run). */
    public static Trainer trainer(Model model, TrainingListener... listeners) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                .optDevices(new Device[] {Device.cpu()})
                .addTrainingListeners(listeners);
        return model.newTrainer(config);
    }

    /** Ends one epoch as {@code EasyTrain.fit} does. */
    public static void endEpoch(Trainer trainer) {
        trainer.notifyListeners(listener -> listener.onEpoch(trainer));
    }

    static NDManager manager() {
        Engine engine = new StubEngine();
        return (NDManager) Proxy.newProxyInstance(StubTrainers.class.getClassLoader(), new Class<?>[] {NDManager.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "newSubManager" -> proxy;
                    case "getEngine" -> engine;
                    case "getDevice" -> Device.cpu();
                    case "setName", "close" -> null;
                    case "getName" -> "stub";
                    case "toString" -> "stub NDManager";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("the stub NDManager has no " + method.getName());
                });
    }

    /** An engine that makes nothing native; DJL's base class supplies the parameter server. */
    private static final class StubEngine extends Engine {
        @Override
        public Engine getAlternativeEngine() {
            return null;
        }

        @Override
        public String getEngineName() {
            return "stub";
        }

        @Override
        public int getRank() {
            return Integer.MAX_VALUE;
        }

        @Override
        public String getVersion() {
            return "0";
        }

        @Override
        public boolean hasCapability(String capability) {
            return false;
        }

        @Override
        public Model newModel(String name, Device device) {
            throw new UnsupportedOperationException("the stub engine makes no models");
        }

        @Override
        public NDManager newBaseManager() {
            throw new UnsupportedOperationException("the stub engine makes no NDManagers");
        }

        @Override
        public NDManager newBaseManager(Device device) {
            throw new UnsupportedOperationException("the stub engine makes no NDManagers");
        }
    }
}
