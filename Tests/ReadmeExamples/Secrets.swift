public import Cairn

/// A step that uploads with a token; its body is not the point.
@Step func upload(path: String) -> String { path }

/// The README's example of secrets; compiled, not run.
func useSecrets(on stack: Stack) async throws {
    let upload = uploadStep.withOptions { $0.secrets = ["api_keys"] }   // or PipelineOptions(secrets:)
    let token = StepContext.current?.environment["TOKEN"]                // inside the step
    try await stack.secrets.create("api_keys", values: ["token": token ?? ""])   // the same from code
    _ = upload
}
