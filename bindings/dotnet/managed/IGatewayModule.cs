// The interfaces a .NET gateway module implements.
namespace Microsoft.Azure.IoT.Gateway
{
    /// <summary>Interface to be implemented by a .NET module. The gateway creates the module
    /// with its public parameterless constructor and then calls Create.</summary>
    public interface IGatewayModule
    {
        /// <summary>Creates the module connected to broker. configuration is the module's
        /// "args" from the gateway configuration as UTF-8 JSON text (null when absent).
        /// Throwing fails the module's creation.</summary>
        void Create(Broker broker, byte[] configuration);

        /// <summary>Releases the module's resources. Receive is not called afterwards.</summary>
        void Destroy();

        /// <summary>Called for each message routed to this module, one at a time.</summary>
        void Receive(Message received_message);
    }

    /// <summary>Optional: implemented by modules that want to know when the gateway is ready
    /// to send and receive messages.</summary>
    public interface IGatewayModuleStart
    {
        /// <summary>Informs the module that the gateway has started.</summary>
        void Start();
    }
}
