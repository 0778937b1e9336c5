/*
 * Part of the Go gateway's Java binding (github.com/edgev1/gateway/bindings/jvm).
 * Written for this project; API-compatible with the SDK v1 gateway-java-binding.
 */
package com.microsoft.azure.gateway.core;

/**
 * What the gateway calls on a Java module. Most modules extend {@link GatewayModule} instead of implementing
 * this interface directly.
 *
 * <p>Life cycle: the gateway constructs the module's class with the constructor
 * {@code (long address, Broker broker, String configuration)}, whose {@link GatewayModule} implementation calls
 * {@link #create}; then {@link #start} once the gateway is running; {@link #receive} for every message routed to
 * the module (never concurrently, always on the module's own thread); {@link #destroy} last.
 */
public interface IGatewayModule {

    /**
     * Initializes the module. Called from the constructor of {@link GatewayModule}.
     *
     * @param moduleAddr    the module's address in the gateway (pass it to {@link Broker#publishMessage})
     * @param broker        the broker the module publishes to
     * @param configuration the module's {@code args} as a JSON string, or null when the configuration has none
     */
    void create(long moduleAddr, Broker broker, String configuration);

    /** Tells the module that the gateway has started: it may publish from now on. */
    void start();

    /**
     * Delivers one message.
     *
     * @param serializedMessage the message in the gateway's byte-array format
     */
    void receive(byte[] serializedMessage);

    /** Destroys the module: stop its threads and release what it holds. */
    void destroy();
}
