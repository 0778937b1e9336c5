// A sample .NET module: prints every message it receives (properties and content).
using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.Azure.IoT.Gateway;

namespace PrinterModule
{
    public class DotNetPrinterModule : IGatewayModule
    {
        private string prefix = "printer";

        public void Create(Broker broker, byte[] configuration)
        {
            // args, when a JSON string, is used as the line prefix: "args": "printer"
            if (configuration != null)
            {
                string s = Encoding.UTF8.GetString(configuration).Trim();
                if (s.Length >= 2 && s[0] == '"' && s[s.Length - 1] == '"')
                    prefix = s.Substring(1, s.Length - 2);
            }
        }

        public void Receive(Message received_message)
        {
            StringBuilder sb = new StringBuilder();
            sb.Append(prefix).Append(": received \"").Append(Encoding.UTF8.GetString(received_message.Content)).Append('"');
            foreach (KeyValuePair<string, string> p in received_message.Properties)
                sb.Append(' ').Append(p.Key).Append('=').Append(p.Value);
            Console.WriteLine(sb.ToString());
        }

        public void Destroy()
        {
            Console.WriteLine("{0}: destroyed", prefix);
        }
    }
}
