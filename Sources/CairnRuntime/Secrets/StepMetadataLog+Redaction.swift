import CairnCore

extension StepMetadataLog.Entries {
    /// The entries with secret values replaced, in keys and values, before they are stored.
    func redacted(by redaction: SecretRedaction) -> StepMetadataLog.Entries {
        guard !redaction.isEmpty else { return self }
        func redact(_ values: [String: JSONValue]) -> [String: JSONValue] {
            Dictionary(values.map { (redaction.redact($0.key), redaction.redact($0.value)) }, uniquingKeysWith: { $1 })
        }
        var entries = self
        entries.stepRun = redact(stepRun)
        entries.run = redact(run)
        entries.outputs = outputs.mapValues(redact)
        return entries
    }
}
