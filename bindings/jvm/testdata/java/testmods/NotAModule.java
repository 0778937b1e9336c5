package testmods;

public class NotAModule {
    public NotAModule(long address, Object broker, String configuration) {
    }
}
