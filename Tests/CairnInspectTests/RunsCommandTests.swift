import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("cairn runs and cairn steps", .timeLimit(.minutes(1)))
struct RunsCommandTests {
    @Test("runs list shows the newest runs first in aligned columns")
    func listTable() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let result = await cairn("runs", "list", "--store", sample.path)
        #expect(result.status == 0)
        #expect(result.output == """
            RUN           PIPELINE    STATUS     STARTED              DURATION  STEPS
            evaluation-1  evaluation  running    2025-01-02 12:00:00         -    0/1
            training-2    training    failed     2025-01-02 11:00:00    1.75 s    1/2
            training-1    training    completed  2025-01-02 10:00:00    2.00 s    2/2

            """)
    }

    @Test("runs list filters by pipeline, status and time", arguments: [
        (["--pipeline", "training"], ["training-2", "training-1"]),
        (["--status", "failed"], ["training-2"]),
        (["--pipeline", "training", "--status", "running"], []),
        (["--since", "2025-01-02T10:30:00Z"], ["evaluation-1", "training-2"]),
        (["--since", "2025-01-02T11:30:00+02:00"], ["evaluation-1", "training-2", "training-1"]),
        (["--since", "1h"], []),
        (["--limit", "1", "--page", "2"], ["training-2"]),
        (["--offset", "2"], ["training-1"]),
    ])
    func listFilters(arguments: [String], expected: [String]) async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let result = await cairn(["runs", "list", "--store", sample.path, "--json"] + arguments)
        #expect(result.status == 0, "\(result.error)")
        let runs = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]]
        #expect(runs?.compactMap { $0["name"] as? String } == expected)
    }

    @Test("runs list says how to see the next page")
    func listNextPage() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let result = await cairn("runs", "list", "--store", sample.path, "--pipeline", "training", "--limit", "1")
        #expect(result.output.hasSuffix("""
            training-2  training  failed  2025-01-02 11:00:00    1.75 s    1/2

            Showing runs 1 to 1. Next: cairn runs list --store \(sample.path) --pipeline training --limit 1 --page 2

            """))
    }

    @Test("runs list explains a mistyped pipeline or status")
    func listMistakes() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let pipeline = await cairn("runs", "list", "--store", sample.path, "--pipeline", "trainin")
        #expect(pipeline.status == 1)
        #expect(pipeline.error == "Error: no pipeline named 'trainin'; did you mean 'training'?\nTry: cairn runs list --pipeline training\n")
        let status = await cairn("runs", "list", "--store", sample.path, "--status", "complete")
        #expect(status.status == 64)
        #expect(status.error.hasPrefix("Error: 'complete' is not a status; did you mean 'completed'?"))
        let since = await cairn("runs", "list", "--store", sample.path, "--since", "yesterday")
        #expect(since.status == 64)
        #expect(since.error.hasPrefix("Error: 'yesterday' is not a time: give a time ago, such as 30m, 2h, 7d or 2w"))
    }

    @Test("runs show prints the run, its parameters, steps, errors and outputs")
    func show() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let completed = await cairn("runs", "show", "training-1", "--store", sample.path)
        #expect(completed.status == 0)
        #expect(completed.output == """
            Run       training-1
            ID        \(sample.training1.id)
            Pipeline  training
            Status    completed
            Started   2025-01-02 10:00:00
            Ended     2025-01-02 10:00:02 (2.00 s)
            Host      test-host, process 42

            Parameters
              rate  0.1

            Steps
              STEP   STATUS     DURATION  CACHED FROM  OUTPUTS
              load   completed    250 ms  -            output v1
              train  completed    1.50 s  -            model v1

            Outputs
              model  training::train::model:1

            """)
        let failed = await cairn("runs", "show", sample.training2.id, "--store", sample.path)
        #expect(failed.output.contains("""
            Steps
              STEP   STATUS     DURATION  CACHED FROM  OUTPUTS
              load   completed    200 ms  -            output v2
              train  failed       1.30 s  -            -

            Errors
              train: diverged: the loss is NaN

            Outputs
              none

            """))
    }

    @Test("runs show of a real run lists all seven steps and the pipeline's outputs")
    func showDiamond() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let result = try await FixturePipelines.diamond.run(on: store.stack)
        let shown = await cairn("runs", "show", result.run.name, "--store", store.home.path, "--json")
        #expect(shown.status == 0)
        let details = try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any]
        let steps = details?["steps"] as? [[String: Any]] ?? []
        #expect(steps.count == 7)
        #expect(steps.allSatisfy { $0["status"] as? String == "completed" })
        let outputs = details?["outputs"] as? [[String: Any]] ?? []
        #expect(outputs.compactMap { $0["name"] as? String } == ["checked", "measurements", "text"])
        #expect((details?["parameters"] as? [String: Any])?["count"] as? Int == 5)
    }

    @Test("an unknown run suggests the closest name and the command to type")
    func unknownRun() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let result = await cairn("runs", "show", "trainng-2", "--store", sample.path)
        #expect(result.status == 1)
        #expect(result.error == "Error: no run named 'trainng-2'; did you mean 'training-2'?\nTry: cairn runs show training-2\n")
        let far = await cairn("runs", "dag", "zzz", "--store", sample.path)
        #expect(far.error == "Error: no run named 'zzz'\nList the runs with: cairn runs list\n")
    }

    @Test("runs dag draws the recorded graph as text, DOT and Mermaid")
    func dag() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let text = await cairn("runs", "dag", "training-2", "--store", sample.path)
        #expect(text.output == """
            STEP   STATUS     WAITS FOR
            load   completed  -
            train  failed     load

            """)
        let dot = await cairn("runs", "dag", "training-2", "--format", "dot", "--store", sample.path)
        #expect(dot.output == #"""
            digraph "training-2" {
                rankdir=TB;
                node [shape=box, style="rounded,filled", fontname="Helvetica"];
                edge [fontname="Helvetica", fontsize=10];
                "load" [label="load\ncompleted", fillcolor="#c8e6c9"];
                "train" [label="train\nfailed", fillcolor="#ffcdd2"];
                "load" -> "train" [label="output → data"];
            }

            """#)
        let mermaid = await cairn("runs", "dag", "evaluation-1", "--format", "mermaid", "--store", sample.path)
        #expect(mermaid.output == """
            flowchart TD
                n0["score<br/>running"]:::running
                classDef running fill:#fff9c4,stroke:#f9a825

            """)
        let mermaidEdges = await cairn("runs", "dag", "training-1", "--format", "mermaid", "--store", sample.path)
        #expect(mermaidEdges.output.contains(#"    n0 -->|"output → data"| n1"#))
    }

    @Test("runs delete removes the run, its step runs and the artifact versions only it used")
    func delete() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let refused = await cairn("runs", "delete", "training-1", "--store", sample.path)
        #expect(refused.status == 1)
        #expect(refused.error == "Error: deleting run 'training-1' needs a confirmation\nAdd --yes: cairn runs delete training-1 --yes\n")
        let declined = await cairn("runs", "delete", "training-1", "--store", sample.path, answer: "n", interactive: true)
        #expect(declined.output.hasSuffix("Nothing deleted.\n"))
        let running = await cairn("runs", "delete", "evaluation-1", "--store", sample.path, "--yes")
        #expect(running.error.hasPrefix("Error: run 'evaluation-1' is running (process 42 on test-host)\n"))
        // This test's own process runs `live`: --force deletes only runs whose process is gone.
        let live = try await sample.metadata.createRun(NewRun(
            name: "live", pipelineName: "evaluation", configuration: "{}", graph: PipelineGraph(), startedAt: Date(),
            host: ProcessInfo.processInfo.hostName, processID: ProcessInfo.processInfo.processIdentifier))
        let forced = await cairn("runs", "delete", "live", "--force", "--yes", "--store", sample.path)
        #expect(forced.status == 1)
        #expect(forced.error.hasPrefix(
            "Error: run 'live' is running (process \(ProcessInfo.processInfo.processIdentifier) on \(live.host)), and that process is alive\n"))
        #expect(try await sample.metadata.run(id: live.id) != nil)

        let deleted = await cairn("runs", "delete", "training-1", "--store", sample.path, answer: "y", interactive: true)
        #expect(deleted.status == 0)
        #expect(deleted.output.hasSuffix("""
            Deleted run 'training-1': 2 step runs, 2 artifact versions.
            Their bytes stay in the artifact folder until: cairn artifact prune

            """))
        #expect(try await sample.metadata.run(named: "training-1") == nil)
        #expect(try await sample.metadata.stepRuns(runID: sample.training1.id).isEmpty)
        #expect(try await sample.metadata.artifactVersions(named: "training::train::model").isEmpty)
        #expect(try await sample.metadata.artifactVersions(named: "training::load::output").map(\.version) == [2])
        let gone = await cairn("runs", "show", "training-1", "--store", sample.path)
        #expect(gone.status == 1)
    }

    @Test("steps logs says that no logs were captured, or names the step that does not exist")
    func stepLogs() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let none = await cairn("steps", "logs", "training-2", "train", "--store", sample.path)
        #expect(none.status == 1)
        #expect(none.error == "Error: no logs were captured for step 'train' of run 'training-2'\nIt logged nothing, or its logs were switched off (enableStepLogs); its status and error are in: cairn runs show training-2\n")
        let unknown = await cairn("steps", "logs", "training-2", "trian", "--store", sample.path)
        #expect(unknown.error == "Error: run 'training-2' has no step named 'trian'; did you mean 'train'?\nTry: cairn steps logs training-2 train\n")
    }

    @Test("steps logs prints what a step logged")
    func stepLogsPrinted() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let talk = ClosureStep<Int, Int>("talk", inputs: ["count"]) { count in
            for line in 1...count { StepContext.current?.logger.info("hello \(line)") }
            return count
        }
        let result = try await Pipeline("talking", options: PipelineOptions(runNameTemplate: "talking-run")) { _ = talk(2) }.run(on: store.stack)
        let printed = await cairn("steps", "logs", result.run.name, "talk", "--store", store.home.path)
        #expect(printed.status == 0)
        let lines = printed.output.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasSuffix(" info hello 1") && lines[1].hasSuffix(" info hello 2"))
    }
}

@Suite("cairn runs list --tag", .timeLimit(.minutes(1)))
struct RunsTagTests {
    @Test("runs list --tag shows only runs with that tag")
    func tagFilter() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let step = ClosureStep<Int, Int>("one", inputs: ["value"]) { $0 }
        try await Pipeline("tagged", options: PipelineOptions(runNameTemplate: "tagged-run", tags: ["nightly", "v2"])) { _ = step(1) }
            .run(on: store.stack)
        try await Pipeline("untagged", options: PipelineOptions(runNameTemplate: "untagged-run")) { _ = step(2) }.run(on: store.stack)
        let listed = await cairn("runs", "list", "--tag", "nightly", "--json", "--store", store.home.path)
        #expect(listed.status == 0)
        #expect(listed.output.contains("tagged-run") && !listed.output.contains("untagged-run"))
        let none = await cairn("runs", "list", "--tag", "weekly", "--json", "--store", store.home.path)
        #expect(!none.output.contains("tagged-run"))
        #expect(try await store.stack.metadata.runs(RunQuery(tag: "v2")).map(\.name) == ["tagged-run"])
    }
}
