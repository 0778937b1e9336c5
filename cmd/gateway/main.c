/* gateway - the drop-in for the SDK's sample gateway executables.
 * A thin C main over libgateway.so; the command line lives in Go (internal/cli). */
extern int GatewayGo_Main(int argc, char** argv);

int main(int argc, char** argv)
{
    return GatewayGo_Main(argc, argv);
}
