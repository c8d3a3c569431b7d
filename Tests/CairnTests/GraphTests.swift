import Cairn
import CairnTesting
import Testing

@Suite("Pipeline graphs", .timeLimit(.minutes(1)))
struct GraphTests {
    @Test("the graph comes from data flow: a consumer waits for its producers")
    func edgesFromDataFlow() throws {
        let pipeline = Pipeline("flow") {
            let data = makeDatasetStep(size: 3)
            let model = fitStep(data: data, rate: 0.5)
            _ = afterStep(model: model)
            _ = pauseStep(milliseconds: 1, label: "independent")
        }
        let graph = try pipeline.compile().graph
        #expect(graph.nodes.map(\.invocation) == ["makeDataset", "fit", "after", "pause"])
        #expect(graph.node("fit")?.upstream == ["makeDataset"])
        #expect(graph.node("after")?.upstream == ["fit"])
        #expect(graph.node("pause")?.upstream == [])
        #expect(graph.node("fit")?.inputs.map(\.name) == ["data", "rate"])
        #expect(graph.node("fit")?.inputs[0].binding == .output(invocation: "makeDataset", output: "output"))
        #expect(graph.node("fit")?.parameters == ["rate": "0.5"])
        for node in graph.nodes {
            #expect(try node.canonicalJSON == CanonicalJSON.string(encoding: node), "written by hand, the same text as encoding the node")
            #expect(try CanonicalJSON.decode(PipelineNode.self, from: node.canonicalJSON) == node)
        }
    }

    @Test("calling a step twice names the calls train, train_2; a given name is used as is")
    func invocationNames() throws {
        let pipeline = Pipeline("names") {
            let data = makeDatasetStep(size: 3)
            _ = fitStep(data: data, rate: 0.1)
            _ = fitStep(data: data, rate: 0.2)
            _ = fitStep.named("fit_fast")(data: data, rate: 0.9)
            _ = fitStep(data: data, rate: 0.3)
        }
        #expect(try pipeline.compile().graph.nodes.map(\.invocation) == ["makeDataset", "fit", "fit_2", "fit_fast", "fit_3"])
    }

    @Test("a plain loop over a list parameter passes each element to a step as a parameter; an annotated loop gives the values")
    func loopOverParameter() throws {
        struct Search: Codable, Sendable { var rates = [0.1, 0.2]; var sizes = [2, 3] }
        let pipeline = Pipeline("search", parameters: Search()) { parameters in
            let data = makeDatasetStep(size: 3)
            for rate in parameters.rates { _ = fitStep(data: data, rate: rate) }
            for size: Int in parameters.sizes where size > 2 { _ = makeDatasetStep(size: .constant(size)) }
        }
        let graph = try pipeline.compile().graph
        #expect(graph.nodes.map(\.invocation) == ["makeDataset", "fit", "fit_2", "makeDataset_2"])
        #expect(graph.node("fit")?.parameters == ["rate": "0.1"] && graph.node("fit_2")?.parameters == ["rate": "0.2"])
        #expect(graph.node("makeDataset_2")?.parameters == ["size": "3"])
    }

    @Test("calling a step's function instead of its step value in a pipeline's body fails the pipeline, naming both")
    func directCallOfStep() async throws {
        let message = "pipeline 'direct' is not valid: its body calls the function 'constant(…)' directly, which runs it while the "
            + "pipeline is built and records no step; call the step value 'constantStep(…)' instead"
        let pipeline = Pipeline("direct") { _ = afterStep(model: .constant(Model(weight: Double(constant(value: 2))))) }
        #expect(throws: CairnError.invalidPipeline(pipeline: "direct", reason: String(message.dropFirst("pipeline 'direct' is not valid: ".count)))) {
            try pipeline.compile()
        }
        let store = try TemporaryStore()
        defer { store.remove() }
        let dynamic = DynamicPipeline("direct") { _ = constant(value: 2) }
        let error = await #expect(throws: CairnError.self) { try await dynamic.run(on: store.stack) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        #expect(constant(value: 3) == 3, "outside a pipeline's body the function is an ordinary function")
    }

    @Test("after orders a step without passing data")
    func afterWithoutData() throws {
        let pipeline = Pipeline("ordering") {
            let first = pauseStep(milliseconds: 1, label: "first")
            let marker = noOutputStep(value: 1)
            _ = constantStep.after(first, marker)(value: 2)
        }
        let node = try #require(try pipeline.compile().graph.node("constant"))
        #expect(node.after == ["pause", "noOutput"])
        #expect(node.upstream == ["pause", "noOutput"])
        let onlyParameters = node.inputs.allSatisfy { $0.binding.isParameter }
        #expect(onlyParameters)
    }

    @Test("a fan-in gathers handles into one array input")
    func fanIn() throws {
        let pipeline = Pipeline("fan") {
            let numbers = [1.0, 2.0].map { fitStep(data: makeDatasetStep(size: 2), rate: .constant($0)) }
            _ = sumStep(values: .gathering(numbers.map { afterStep(model: $0) }))
        }
        let graph = try pipeline.compile().graph
        #expect(graph.node("sum")?.upstream == ["after", "after_2"])
        #expect(graph.node("sum")?.inputs.first?.binding == .list([
            .output(invocation: "after", output: "output"), .output(invocation: "after_2", output: "output"),
        ]))
    }

    @Test("a literal array of constants is one parameter")
    func literalArrayIsParameter() throws {
        let pipeline = Pipeline("literal") { _ = sumStep(values: [1.5, 2.5]) }
        #expect(try pipeline.compile().graph.node("sum")?.parameters == ["values": "[1.5,2.5]"])
    }

    @Test("pipeline parameters reach steps as parameters, and overrides are checked")
    func parameters() throws {
        struct Settings: Codable, Sendable { var rate = 0.25; var size = 4 }
        let pipeline = Pipeline("parameterised", parameters: Settings()) { settings in
            _ = fitStep(data: makeDatasetStep(size: settings.size), rate: settings.rate)
        }
        #expect(try pipeline.compile().graph.node("fit")?.parameters == ["rate": "0.25"])
        let overridden = try pipeline.compile(parameterOverrides: ["rate": .number(0.75)])
        #expect(overridden.graph.node("fit")?.parameters == ["rate": "0.75"])
        #expect(throws: CairnError.invalidPipeline(pipeline: "parameterised", reason: "it has no parameter 'speed'; its parameters are rate, size")) {
            try pipeline.compile(parameterOverrides: ["speed": .number(1)])
        }
        let wrongType = #expect(throws: CairnError.self) { try pipeline.compile(parameterOverrides: ["size": .string("big")]) }
        #expect(wrongType?.description.contains("'size' must be Int") == true)
    }

    @Test("duplicate and unsafe step names are reported together, before anything runs")
    func invalidNames() throws {
        let pipeline = Pipeline("bad") {
            _ = constantStep.named("same")(value: 1)
            _ = constantStep.named("same")(value: 2)
            _ = constantStep.named("../escape")(value: 3)
        }
        let error = #expect(throws: CairnError.self) { try pipeline.compile() }
        let text = error?.description ?? ""
        #expect(text.contains("two steps are named 'same'"))
        #expect(text.contains("invalid step name \"../escape\""))
    }

    @Test("an output type without a serializer is an error at compile time, naming the type and step")
    func missingSerializer() throws {
        struct Opaque: Sendable {}
        let step = ClosureStep<Int, Opaque>("opaque", inputs: ["value"]) { _ in Opaque() }
        let pipeline = Pipeline("opaque_pipeline") { _ = step(1) }
        let error = #expect(throws: CairnError.self) { try pipeline.compile() }
        #expect(error?.description.contains("output 'output' of step 'opaque': no serializer for type") == true)
        #expect(error?.description.contains("Opaque") == true)
    }

    @Test("equal graphs have equal digests, different parameters different ones")
    func digests() throws {
        let pipeline = Pipeline("digest") { _ = constantStep(value: 1) }
        let other = Pipeline("digest") { _ = constantStep(value: 2) }
        #expect(try pipeline.compile().graph.digest == pipeline.compile().graph.digest)
        #expect(try pipeline.compile().graph.digest != other.compile().graph.digest)
    }
}

@Suite("Pipeline copies with options")
struct PipelineOptionsTests {
    @Test("withOptions changes the run name template and any step's options; the original is untouched")
    func stepOptions() throws {
        let pipeline = Pipeline("copies") { _ = fitStep(data: makeDatasetStep(size: 2), rate: 1) }
        let nightly = pipeline
            .withOptions { $0.runNameTemplate = "nightly-{date}" }
            .withOptions(forStep: "fit") { $0.enableCache = false; $0.environment = ["MODE": "fast"] }
        let compiled = try nightly.compile()
        #expect(compiled.options.runNameTemplate == "nightly-{date}")
        #expect(compiled.definitions["fit"]?.options.enableCache == false)
        #expect(compiled.definitions["fit"]?.options.environment == ["MODE": "fast"])
        #expect(compiled.stepOverrides["fit"] != nil, "recorded with the run, so another process applies it too")
        #expect(try pipeline.compile().definitions["fit"]?.options.enableCache == nil)
        let error = #expect(throws: CairnError.self) { try pipeline.withOptions(forStep: "fitt") { $0.enableCache = false }.compile() }
        #expect(error?.description.contains("fitt") == true)
    }
}
