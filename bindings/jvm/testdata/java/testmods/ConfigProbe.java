package testmods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes, at start, its configuration (content "<null>" when null) with the thread's name and context class
 * loader; at destroy, a message "destroyed". Publishing from start runs on the module thread, outside receive.
 */
public class ConfigProbe extends GatewayModule {
    public ConfigProbe(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
    }

    private void send(String content, String what) {
        Map<String, String> p = new LinkedHashMap<String, String>();
        p.put("what", what);
        p.put("thread", Thread.currentThread().getName());
        p.put("daemon", Boolean.toString(Thread.currentThread().isDaemon()));
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        p.put("loader", cl == null ? "null" : cl.getClass().getName());
        try {
            int rc = publish(new Message(content.getBytes(StandardCharsets.UTF_8), p));
            if (rc != 0) {
                throw new IllegalStateException("publish returned " + rc);
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Override
    public void start() {
        String c = getConfiguration();
        send(c == null ? "<null>" : c, "config");
    }

    @Override
    public void receive(Message message) {
    }

    @Override
    public void destroy() {
        send("destroyed", "destroy");
    }
}
