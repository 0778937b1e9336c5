package testmods;

/** Has the module constructor's signature but does not implement IGatewayModule. */
public class NotAModule {
    public NotAModule(long address, Object broker, String configuration) {
    }
}
