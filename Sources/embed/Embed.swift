// embed: turn each described record's text into a vector (Gemini embeddings, or local TF-IDF).
import Analysis
import ArgumentParser
import Gemini
import GeminiStage
import Records
import ToolSupport

@main
struct Embed: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed each record's text as a vector with a Gemini embedding model, or locally with TF-IDF.",
        discussion: """
        The text is the compact text of the record's description (objects, environment, genre, \
        lighting, colours, visible text), or the string field --text-field names. Up to 100 texts \
        go in one batchEmbedContents call (taskType CLUSTERING). Adds embedding_text, embedding \
        (a JSON array, or {"file", "row", "dimensions"} with --vectors) and embedding_model. \
        Records without the text become error records (missing_field); error records pass through. \
        The API key comes from GOOGLE_API_KEY or GEMINI_API_KEY, else gemini_api_key in \
        config.yaml; --local tfidf needs none. \
        --provider openai sends the same requests to an OpenAI-compatible server (vLLM, Ollama, \
        llama.cpp, LM Studio, LiteLLM) at --base-url, with OPENAI_API_KEY (none for a keyless local or LAN server).

        Examples:
          embed < described.ndjson > embedded.ndjson
          embed --vectors v.npy --dimensions 768 -o embedded.ndjson described.ndjson
          embed --local tfidf --vectors local.npy < described.ndjson > embedded.ndjson
          embed --batch --vectors v.npy -o embedded.ndjson described.ndjson

        --batch uses Gemini Batch Mode (asyncBatchEmbedContent; with --provider openai: the server's /v1/batches; half price, results within 24 h): \
        the texts go in JSONL chunks of --batch-size, each run as one job (inline under 20 MB, else \
        uploaded) polled every \
        --poll-seconds; the job names are kept in OUTPUT.batch.json, so a rerun after a Ctrl-C or \
        a crash polls those jobs instead of paying for them again.
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Embedding model id (config embedding_model; default gemini-embedding-001).") var model: String?
    @Option(help: "Vector size (outputDimensionality; default: the model's full size, 1024 for --local tfidf). Vectors cut below the full size are normalised again.") var dimensions: Int?
    @Option(help: ArgumentHelp("Embed this string field (a dotted path, such as summary) instead of the description's compact text.", valueName: "PATH")) var textField: String?
    @Option(help: ArgumentHelp("Write the vectors as float32 rows of this .npy file (ids beside it in FILE.ids); records point at their row.", valueName: "FILE")) var vectors: String?
    @Option(help: "Make the vectors here instead of calling an API: tfidf (hashed terms, sublinear tf, L2).") var local: LocalMethod?
    @Option(help: "Texts per batchEmbedContents call (at most 100).") var perRequest: Int = BatchEmbedRequest.maximumTexts
    @Option(help: "Calls in flight (config gemini.concurrency; default 4).") var concurrency: Int?
    @OptionGroup var batchMode: BatchModeOptions
    @OptionGroup var api: ModelAPIOptions
    @OptionGroup var providerOptions: ProviderOptions
    @OptionGroup var modelCheck: ModelCheckOptions
    @Argument(help: "Record files (stdin when none).") var inputs: [String] = []

    enum LocalMethod: String, CaseIterable, ExpressibleByArgument {
        case tfidf
    }

    func validate() throws {
        try batchMode.validate(output: common.output, dryRun: api.dryRun)
        if batchMode.batch, local != nil { throw ValidationError("--batch calls the API; --local tfidf calls none") }
        if let dimensions, dimensions < 1 { throw ValidationError("--dimensions must be at least 1") }
        guard (1...BatchEmbedRequest.maximumTexts).contains(perRequest) else {
            throw ValidationError("--per-request must be between 1 and \(BatchEmbedRequest.maximumTexts) (the API's limit per call)")
        }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let textField, textField.isEmpty || textField.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            throw ValidationError("--text-field needs a field path such as summary or description.summary")
        }
        if local != nil, model != nil, model != HashedTermVector.modelName { throw ValidationError("--local tfidf calls no model; leave out --model") }
        try ToolRun.checkReadable(inputs)
    }

    func run() throws {
        try ToolMain.run(tool: "embed") {
            let started = try common.general.start(tool: "embed")
            let modelID = model ?? started.config.string("embedding_model") ?? EmbeddingModel.defaultID
            let text: EmbeddingText = textField.map { .field($0) } ?? .description
            let runsLocally = local != nil || modelID == HashedTermVector.modelName
            if runsLocally {
                let size = dimensions ?? HashedTermVector.defaultDimensions
                let output = try EmbeddingOutput(vectorsPath: vectors, dimensions: size, modelName: HashedTermVector.modelName)
                let run = try ToolRun(tool: "embed", options: common, inputs: inputs, started: started)
                return try Embedder.embedLocally(run: run, text: text, dimensions: size, output: output)
            }
            let inFlight = try concurrency ?? started.config.resolve(flag: nil, key: "gemini.concurrency", default: 4)
            let flags = GeminiSettings.Flags(model: modelID, baseURL: api.baseUrl, concurrency: inFlight, rpm: api.rpm, tpm: api.tpm,
                                             priceInput: api.priceInput, priceOutput: nil, requireKey: !api.dryRun,
                                             checkModel: !modelCheck.noModelCheck, provider: providerOptions.provider)
            let settings = try GeminiSettings(flags: flags, config: started.config, logger: started.logger,
                                              modelKey: "embedding_model", defaultModel: EmbeddingModel.defaultID)
            if batchMode.batch, !api.dryRun { try BatchRunner.checkProvider(settings) }
            let embeddingModel = EmbeddingModel(id: modelID)
            let embedder = try Embedder(model: embeddingModel, dimensions: dimensions, text: text, perRequest: perRequest,
                                        price: settings.price)
            let run = try ToolRun(tool: "embed", options: common, inputs: inputs, flushEachRecord: true, started: started)
            if api.dryRun { return try embedder.estimate(run: run, batchMode: batchMode.batch) }
            guard let size = embeddingModel.dimensions(requested: dimensions) ?? (vectors == nil ? 0 : nil) else {
                throw ToolError.usage("--vectors needs --dimensions with \(modelID), whose vector size is not known here")
            }
            let output = try EmbeddingOutput(vectorsPath: vectors, dimensions: size, modelName: modelID)
            if batchMode.batch, let statePath = batchMode.statePath(output: common.output) {
                return try BatchRunner(work: EmbeddingBatchWork(embedder: embedder, output: output), settings: settings,
                                       statePath: statePath, batchSize: batchMode.batchSize, pollSeconds: batchMode.pollSeconds).run(run)
            }
            return try embedder.embed(run: run, settings: settings, output: output)
        }
    }
}
