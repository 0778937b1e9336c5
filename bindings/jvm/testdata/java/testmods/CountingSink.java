package testmods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

/** Counts messages and content bytes (the benchmark's Java sink). */
public class CountingSink extends GatewayModule {
    public static volatile long messages;
    public static volatile long bytes;

    public CountingSink(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
    }

    @Override
    public void receive(Message message) {
        messages++;
        bytes += message.getContent().length + message.getProperties().size();
    }

    @Override
    public void destroy() {
    }
}
