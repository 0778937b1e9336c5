/* gateway-module-host - hosts one module out of process for a gateway (the remote side of the SDK's
 * out-of-process protocol): gateway-module-host [flags] <control.id>.
 * A thin C main over libgateway.so; the program lives in Go (internal/modulehost). */
extern int GatewayGo_ModuleHostMain(int argc, char** argv);

int main(int argc, char** argv)
{
    return GatewayGo_ModuleHostMain(argc, argv);
}
