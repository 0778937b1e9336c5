using System.Reflection;

[assembly: AssemblyTitle("Microsoft.Azure.IoT.Gateway")]
[assembly: AssemblyDescription(".NET binding of the edgev1 gateway (Azure IoT Gateway SDK v1 compatible API)")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
