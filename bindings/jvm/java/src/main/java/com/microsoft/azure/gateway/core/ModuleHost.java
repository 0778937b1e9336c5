/*
 * Part of the Go gateway's Java binding (github.com/edgev1/gateway/bindings/jvm).
 * Written for this project.
 */
package com.microsoft.azure.gateway.core;

import com.microsoft.azure.gateway.messaging.Message;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The gateway's side of the binding: the Go host calls these static methods through JNI. Not for modules.
 *
 * <p>Class loading: every module class is loaded by one shared class loader whose parent is the loader of this
 * class (the JVM's class path, which holds this binding). Each module's {@code class.path} entries are added to it
 * before its class is loaded, so every module sees the classes of all modules loaded before it, as with the SDK's
 * single JVM class path, and modules added at run time work. The binding's own classes always come from the
 * parent, so a module jar that bundles a copy of the binding uses this one.
 *
 * <p>Threads: create, start, receive and destroy of one module run on that module's own thread (a Go thread
 * attached to the JVM), whose context class loader is the shared loader. {@link Broker#publishMessage} may be
 * called from any thread.
 */
public final class ModuleHost {

    /** Bumped when the Go side and this class must change together. */
    private static final int PROTOCOL_VERSION = 1;

    private static final SharedLoader LOADER = new SharedLoader(ModuleHost.class.getClassLoader());
    private static final Set<String> ADDED = new HashSet<String>();

    /** Whether a module class inherits {@link GatewayModule#receive(byte[])} (then messages are parsed in place). */
    private static final ClassValue<Boolean> PARSES_IN_PLACE = new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            if (!GatewayModule.class.isAssignableFrom(c)) {
                return Boolean.FALSE;
            }
            try {
                return c.getMethod("receive", byte[].class).getDeclaringClass() == GatewayModule.class;
            } catch (NoSuchMethodException e) {
                return Boolean.FALSE;
            }
        }
    };

    private ModuleHost() {
    }

    private static final class SharedLoader extends URLClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        SharedLoader(ClassLoader parent) {
            super(new URL[0], parent);
        }

        void add(URL url) {
            addURL(url);
        }
    }

    /** Publishes a serialized message as module {@code module}; implemented by the Go host (RegisterNatives). */
    static native int publish(long broker, long module, byte[] message);

    /** @return the version of the Go/Java protocol this class speaks */
    public static int protocolVersion() {
        return PROTOCOL_VERSION;
    }

    /**
     * Loads and constructs a module.
     *
     * @param className     UTF-8 binary class name (dotted)
     * @param classPath     UTF-8 class path entries separated by NUL (may be empty)
     * @param moduleAddr    the module's address
     * @param brokerAddr    the broker's address
     * @param configuration UTF-8 configuration JSON, or null
     * @return the module object
     * @throws Throwable whatever loading or the module's constructor threw
     */
    public static Object create(byte[] className, byte[] classPath, long moduleAddr, long brokerAddr,
            byte[] configuration) throws Throwable {
        Thread.currentThread().setContextClassLoader(LOADER);
        addClassPath(new String(classPath, StandardCharsets.UTF_8));
        String name = new String(className, StandardCharsets.UTF_8);
        String config = configuration == null ? null : new String(configuration, StandardCharsets.UTF_8);
        Class<?> c = Class.forName(name, true, LOADER);
        if (!IGatewayModule.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException("class " + name + " does not implement " + IGatewayModule.class.getName());
        }
        Broker broker = new Broker(brokerAddr);
        try {
            Constructor<?> k;
            try {
                k = c.getDeclaredConstructor(long.class, Broker.class, String.class);
            } catch (NoSuchMethodException e) {
                k = null;
            }
            if (k != null) {
                k.setAccessible(true);
                return k.newInstance(moduleAddr, broker, config);
            }
            Constructor<?> k0;
            try {
                k0 = c.getDeclaredConstructor();
            } catch (NoSuchMethodException e) {
                throw new NoSuchMethodException("class " + name
                        + " has neither a constructor (long, com.microsoft.azure.gateway.core.Broker, String) nor a no-argument constructor");
            }
            k0.setAccessible(true);
            IGatewayModule m = (IGatewayModule) k0.newInstance();
            m.create(moduleAddr, broker, config);
            return m;
        } catch (InvocationTargetException e) {
            throw e.getCause() != null ? e.getCause() : e;
        }
    }

    private static void addClassPath(String joined) throws MalformedURLException {
        if (joined.isEmpty()) {
            return;
        }
        synchronized (ADDED) {
            for (String entry : joined.split("\u0000")) {
                if (!entry.isEmpty() && ADDED.add(entry)) {
                    LOADER.add(new File(entry).toURI().toURL());
                }
            }
        }
    }

    /** Calls {@link IGatewayModule#start()}. */
    public static void start(Object module) {
        Thread.currentThread().setContextClassLoader(LOADER);
        ((IGatewayModule) module).start();
    }

    /** Calls {@link IGatewayModule#destroy()}. */
    public static void destroy(Object module) {
        Thread.currentThread().setContextClassLoader(LOADER);
        ((IGatewayModule) module).destroy();
    }

    /**
     * Delivers a batch: {@code batch[0, length)} holds serialized messages back to back (each carries its own total
     * size). Every message is delivered even when some throw.
     *
     * @return null when every message was delivered without an exception; otherwise the number of messages that
     *         threw (4 bytes, big-endian) followed by the UTF-8 stack trace of the first exception
     */
    public static byte[] receive(Object module, byte[] batch, int length) {
        IGatewayModule m = (IGatewayModule) module;
        boolean inPlace = PARSES_IN_PLACE.get(module.getClass());
        int failed = 0;
        Throwable first = null;
        int off = 0;
        while (off < length) {
            int size = length - off < 14 ? -1 : readInt(batch, off + 2);
            if (size < 14 || size > length - off) {
                failed++;
                if (first == null) {
                    first = new IllegalStateException("module host: malformed batch at offset " + off);
                }
                break;
            }
            try {
                if (inPlace) {
                    ((GatewayModule) m).receive(Message.fromByteArray(batch, off, size));
                } else {
                    m.receive(Arrays.copyOfRange(batch, off, off + size));
                }
            } catch (Throwable t) {
                failed++;
                if (first == null) {
                    first = t;
                }
            }
            off += size;
        }
        if (first == null) {
            return null;
        }
        byte[] trace = describe(first);
        byte[] out = new byte[4 + trace.length];
        out[0] = (byte) (failed >>> 24);
        out[1] = (byte) (failed >>> 16);
        out[2] = (byte) (failed >>> 8);
        out[3] = (byte) failed;
        System.arraycopy(trace, 0, out, 4, trace.length);
        return out;
    }

    /** @return the UTF-8 stack trace of {@code t} (with causes), without a final line break */
    public static byte[] describe(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w, true));
        String s = w.toString();
        while (s.endsWith("\n") || s.endsWith("\r")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
