import CairnCore

extension Stack {
    /// The stack's secrets: kept by its metadata store, sealed with the master keys of
    /// ``secretKeySource``.
    public var secrets: Secrets {
        Secrets(store: metadata, keys: secretKeySource)
    }

    /// Where the stack's master keys come from: ``secretKeys`` when set, else what
    /// ``SecretKeySource/forStack(_:environment:)`` says for its configuration.
    public var secretKeySource: SecretKeySource {
        secretKeys ?? .forStack(configuration)
    }
}
