/*
 * Sample Java module for the Go gateway: prints what it receives.
 */
package com.edgev1.gateway.sample;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Prints every message it receives to standard output: its properties and its content as text. */
public class Printer extends GatewayModule {

    private long received;

    public Printer(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
        System.out.println("Printer: created with configuration " + configuration);
    }

    @Override
    public void receive(Message message) {
        this.received++;
        StringBuilder sb = new StringBuilder("Printer: message ").append(this.received).append(": ");
        for (Map.Entry<String, String> e : message.getProperties().entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append(' ');
        }
        sb.append("content=").append(new String(message.getContent(), StandardCharsets.UTF_8));
        System.out.println(sb);
        System.out.flush();
    }

    @Override
    public void destroy() {
        System.out.println("Printer: destroyed after " + this.received + " messages");
        System.out.flush();
    }
}
