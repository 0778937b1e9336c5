// A sample .NET module: publishes a simulated sensor reading at a fixed interval from
// a thread it owns, once the gateway has started.
//   args: {"interval.ms": 1000}   (optional; default 1000)
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.Azure.IoT.Gateway;

namespace SensorModule
{
    public class DotNetSensorModule : IGatewayModule, IGatewayModuleStart
    {
        private Broker broker;
        private int intervalMs = 1000;
        private Thread thread;
        private readonly ManualResetEvent stop = new ManualResetEvent(false);

        public void Create(Broker broker, byte[] configuration)
        {
            this.broker = broker;
            string args = configuration == null ? "" : Encoding.UTF8.GetString(configuration);
            Match m = Regex.Match(args, "\"interval\\.ms\"\\s*:\\s*(\\d+)");
            if (m.Success)
                intervalMs = Math.Max(1, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            Console.WriteLine("sensor: created, publishing every {0} ms once started", intervalMs);
        }

        public void Start()
        {
            thread = new Thread(Run) { IsBackground = true, Name = "sensor" };
            thread.Start();
        }

        private void Run()
        {
            Random rnd = new Random();
            for (int seq = 1; !stop.WaitOne(intervalMs); seq++)
            {
                double temperature = 20.0 + rnd.NextDouble() * 5.0;
                Dictionary<string, string> props = new Dictionary<string, string>
                {
                    { "source", "sensor" },
                    { "seq", seq.ToString(CultureInfo.InvariantCulture) },
                };
                string content = "{\"temperature\": " + temperature.ToString("F2", CultureInfo.InvariantCulture) + "}";
                broker.Publish(new Message(content, props));
            }
        }

        public void Receive(Message received_message)
        {
            // The sensor only publishes.
        }

        public void Destroy()
        {
            stop.Set();
            if (thread != null)
                thread.Join();
            Console.WriteLine("sensor: destroyed");
        }
    }
}
