/*
 * Part of the Go gateway's Java binding (github.com/edgev1/gateway/bindings/jvm).
 * Written for this project; API-compatible with the SDK v1 gateway-java-binding.
 */
package com.microsoft.azure.gateway.core;

import com.microsoft.azure.gateway.messaging.Message;

import java.io.IOException;

/** The gateway's message broker, as seen by a Java module. Thread-safe: publish from any thread. */
public class Broker {

    /** BROKER_OK: the message was accepted. */
    public static final int BROKER_OK = 0;
    /** BROKER_ERROR: the message was not published (module destroyed, broker closed, sink gone). */
    public static final int BROKER_ERROR = 1;
    /** BROKER_INVALIDARG: an argument was not valid. */
    public static final int BROKER_INVALIDARG = 4;

    private final long address;

    /** For subclasses (test doubles). */
    protected Broker() {
        this.address = 0;
    }

    /**
     * @param address the broker's address in the gateway
     */
    public Broker(long address) {
        this.address = address;
    }

    /**
     * Publishes a message as the module {@code moduleAddr}. The gateway copies the message.
     *
     * @param message    the message
     * @param moduleAddr the publishing module's address (what the module was created with)
     * @return 0 (BROKER_OK) on success, another BROKER_RESULT value on failure
     * @throws IOException if the message cannot be serialized, or when not running inside a gateway
     */
    public int publishMessage(Message message, long moduleAddr) throws IOException {
        if (message == null) {
            throw new IllegalArgumentException("broker: message is null");
        }
        byte[] serialized = message.toByteArray();
        try {
            return ModuleHost.publish(this.address, moduleAddr, serialized);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("broker: not running inside a gateway (the native publish is not registered)", e);
        }
    }

    /** @return the broker's address in the gateway */
    public long getAddress() {
        return this.address;
    }
}
