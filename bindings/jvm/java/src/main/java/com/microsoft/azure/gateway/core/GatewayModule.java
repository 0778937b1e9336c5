/*
 * Part of the Go gateway's Java binding (github.com/edgev1/gateway/bindings/jvm).
 * Written for this project; API-compatible with the SDK v1 gateway-java-binding.
 */
package com.microsoft.azure.gateway.core;

import com.microsoft.azure.gateway.messaging.Message;

import java.io.IOException;

/**
 * The base class of Java gateway modules. A module extends it, provides a constructor
 * {@code (long address, Broker broker, String configuration)} that calls this one, and implements
 * {@link #receive(Message)} and {@link #destroy()}; it may override {@link #start()}.
 */
public abstract class GatewayModule implements IGatewayModule {

    /** The module's address in the gateway (identifies the publisher). */
    private long address;
    /** The broker this module publishes to. */
    private Broker broker;
    /** The module's configuration (its {@code args} as JSON), or null. */
    private String configuration;

    /**
     * Constructs the module: records the arguments and calls {@link #create(long, Broker, String)}.
     *
     * @param address       the module's address in the gateway
     * @param broker        the broker the module publishes to
     * @param configuration the module's configuration as a JSON string, or null
     */
    public GatewayModule(long address, Broker broker, String configuration) {
        this.address = address;
        this.broker = broker;
        this.configuration = configuration;
        this.create(address, broker, configuration);
    }

    /**
     * Records the module's address, broker and configuration. Called by the constructor; a module that overrides
     * it should call {@code super.create(...)}.
     */
    @Override
    public void create(long moduleAddr, Broker broker, String configuration) {
        this.address = moduleAddr;
        this.broker = broker;
        this.configuration = configuration;
    }

    /** Does nothing; override to start publishing. */
    @Override
    public void start() {
    }

    /**
     * Parses the serialized message and calls {@link #receive(Message)}.
     *
     * @param serializedMessage the message in the gateway's byte-array format
     */
    @Override
    public void receive(byte[] serializedMessage) {
        this.receive(new Message(serializedMessage));
    }

    /**
     * Delivers one message to the module.
     *
     * @param message the message
     */
    public abstract void receive(Message message);

    @Override
    public abstract void destroy();

    /**
     * Publishes a message as this module.
     *
     * @param message the message
     * @return 0 (BROKER_OK) on success, another BROKER_RESULT value on failure
     * @throws IOException if the message cannot be serialized or the module is not running inside a gateway
     */
    public int publish(Message message) throws IOException {
        return this.broker.publishMessage(message, this.address);
    }

    /** @return the broker this module publishes to */
    public final Broker getBroker() {
        return this.broker;
    }

    /** @return the module's configuration (its {@code args} as a JSON string), or null */
    public final String getConfiguration() {
        return this.configuration;
    }
}
