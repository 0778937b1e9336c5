// Microsoft.Azure.IoT.Gateway.Broker: the module's handle on the gateway's message broker.
using System;

namespace Microsoft.Azure.IoT.Gateway
{
    /// <summary>Object that represents the message broker, to which messages are published.</summary>
    public class Broker
    {
        // The gateway's id for the module this broker object was given to (0: none).
        private readonly long module;

        /// <summary>For test doubles: a broker that is not connected to a gateway. Its
        /// Publish throws InvalidOperationException unless overridden.</summary>
        protected Broker()
        {
        }

        internal Broker(long module)
        {
            this.module = module;
        }

        /// <summary>Publishes a message to the broker: it is delivered to every module linked
        /// to this one. The message is copied; the caller may reuse it. Publishing is safe
        /// from any thread (timers, tasks, threads the module starts). After the module has
        /// been destroyed, publishing does nothing.</summary>
        /// <exception cref="ArgumentNullException">message is null.</exception>
        /// <exception cref="ArgumentException">The message cannot be serialized.</exception>
        public virtual void Publish(Message message)
        {
            if (message == null)
                throw new ArgumentNullException("message");
            if (module == 0)
                throw new InvalidOperationException("this Broker is not connected to a gateway");
            byte[] b = message.ToByteArray();
            int rc;
            unsafe
            {
                fixed (byte* p = b)
                {
                    rc = NativeMethods.Publish(module, p, b.Length);
                }
            }
            if (rc == NativeMethods.PublishMalformed)
                throw new ArgumentException("the gateway rejected the serialized message");
        }
    }
}
