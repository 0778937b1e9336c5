// Calls from managed code into the gateway (internal calls registered by the host).
using System.Runtime.CompilerServices;

namespace Microsoft.Azure.IoT.Gateway
{
    internal static class NativeMethods
    {
        // Results of Publish (kept in step with bindings/dotnet/mono_host.h).
        internal const int PublishOK = 0;
        internal const int PublishGone = 1;
        internal const int PublishMalformed = 2;
        internal const int PublishFailed = 3;

        // Log levels (kept in step with bindings/dotnet/mono_host.h).
        internal const int LogError = 0;
        internal const int LogWarn = 1;
        internal const int LogInfo = 2;
        internal const int LogDebug = 3;

        /// <summary>Publishes the serialized message data[0, length) as module. The gateway
        /// copies the bytes before returning.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern unsafe int Publish(long module, byte* data, int length);

        /// <summary>Writes a line (UTF-8 text[0, length)) to the gateway's log on behalf of
        /// module (0: the binding itself).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern unsafe void LogText(long module, int level, byte* text, int length);

        internal static void Log(long module, int level, string text)
        {
            byte[] b = System.Text.Encoding.UTF8.GetBytes(text ?? string.Empty);
            unsafe
            {
                fixed (byte* p = b)
                {
                    LogText(module, level, p, b.Length);
                }
            }
        }
    }
}
