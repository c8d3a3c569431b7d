import Cairn

extension CommandStore {
    /// The stack's secrets, with the master keys its configuration and the environment give.
    var secrets: Secrets {
        Secrets(store: metadata, keys: .forStack(configuration))
    }
}
