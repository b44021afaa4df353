// gemini-describe: caption each image as structured JSON with Gemini.
import ArgumentParser
import Gemini
import GeminiStage
import Records
import ToolSupport

@main
struct GeminiDescribe: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemini-describe",
        abstract: "Describe each image as structured JSON with a Gemini model, within rate limits.",
        discussion: """
        The API key comes from GOOGLE_API_KEY or GEMINI_API_KEY (GOOGLE_API_KEY wins), else \
        gemini_api_key in config.yaml; never from the command line. GOOGLE_GEMINI_BASE_URL or \
        --base-url points the tool at another endpoint (such as the bundled emulator). Adds \
        description, summary, model, usage and finish_reason. \
        --provider openai sends the same requests to an OpenAI-compatible server (vLLM, Ollama, \
        llama.cpp, LM Studio, LiteLLM) at --base-url, with OPENAI_API_KEY (none for a keyless local or LAN server).

        Examples:
          gemini-describe --dry-run < resized.ndjson
          gemini-describe --rpm 1000 -o described.ndjson resized.ndjson
          img-resize --out-dir r < fetched.ndjson | gemini-describe > out.ndjson
          gemini-describe --batch -o described.ndjson resized.ndjson

        --batch uses Gemini Batch Mode (with --provider openai: the server's /v1/batches): requests go in JSONL chunks of --batch-size, each run \
        as one job (results within 24 h, usually much sooner; its requests inline when under \
        20 MB, else uploaded) that is polled every --poll-seconds. The job names are kept in OUTPUT.batch.json; after a Ctrl-C or a \
        crash, the same command polls those jobs instead of paying for them again.
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Model id (config caption_model; default gemini-2.5-flash-lite).") var model: String?
    @Option(help: "Requests in flight (config gemini.concurrency, else the reference's processing.batch_size_captions; default 16).") var concurrency: Int?
    @Option(help: "Images larger than this are shrunk before sending (config processing.image_max_size).") var maxSize: Int?
    @Option(help: "Prompt text file replacing the default prompt.") var promptFile: String?
    @Option(help: "Response schema (Gemini Schema JSON) replacing the default description schema.") var schemaFile: String?
    @Option(help: "Output token budget per answer (doubled once on MAX_TOKENS).") var maxOutputTokens: Int = 2048
    @Option(help: "low, medium or high, where the model supports it.") var mediaResolution: MediaResolution?
    @Option(help: "Price in USD per 1M output tokens (default: the model's list price).") var priceOutput: Double?
    @OptionGroup var batchMode: BatchModeOptions
    @OptionGroup var api: ModelAPIOptions
    @OptionGroup var providerOptions: ProviderOptions
    @OptionGroup var modelCheck: ModelCheckOptions
    @Option(help: "Output format: ndjson, or csv: the reference's image_name,description of already described records, no model call (not with -o).") var format: OutputFormat = .ndjson
    @Option(help: ArgumentHelp("With --format csv: write the records without a description here (image_name,stage,code,message).", valueName: "FILE")) var failed: String?
    @Option(help: ArgumentHelp("A reference descriptions CSV (image_name,description; a categorized CSV too): its images get its description, no call (repeatable).", valueName: "CSV")) var reuse: [String] = []
    @Argument(help: "Record files or image paths (stdin when none).") var inputs: [String] = []

    enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
        case ndjson, csv
    }

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let maxSize, maxSize < 16 { throw ValidationError("--max-size must be at least 16") }
        try batchMode.validate(output: common.output, dryRun: api.dryRun)
        try ToolRun.checkReadable([promptFile, schemaFile].compactMap { $0 }, kind: "")
        if format == .csv, common.output != nil { throw ValidationError("--format csv writes to stdout; -o keeps the resumable NDJSON") }
        if failed != nil, format != .csv { throw ValidationError("--failed goes with --format csv") }
        if !reuse.isEmpty, batchMode.batch { throw ValidationError("--reuse does not go with --batch yet") }
        try ToolRun.checkReadable(inputs)
        try ToolRun.checkReadable(reuse, kind: "reference CSV")
    }

    func run() throws {
        try ToolMain.run(tool: "gemini-describe") {
            if format == .csv {
                // A conversion of finished records: no settings, no key, no call.
                return try ReferenceCSVExport(kind: .descriptions, inputs: inputs, failedPath: failed).runAsTool("gemini-describe")
            }
            let started = try common.general.start(tool: "gemini-describe")
            // The reference's caption thread pool size is our number of requests in flight.
            let inFlight = try concurrency ?? started.config.resolve(flag: started.config.int("gemini.concurrency"), key: "processing.batch_size_captions", default: 16)
            let flags = GeminiSettings.Flags(model: model, baseURL: api.baseUrl, concurrency: inFlight, rpm: api.rpm, tpm: api.tpm,
                                             priceInput: api.priceInput, priceOutput: priceOutput, requireKey: !api.dryRun,
                                             checkModel: !modelCheck.noModelCheck, provider: providerOptions.provider)
            let settings = try GeminiSettings(flags: flags, config: started.config, logger: started.logger)
            if batchMode.batch, !api.dryRun { try BatchRunner.checkProvider(settings) }
            var describer = try Describer(
                settings: settings,
                maximumSize: try started.config.resolve(flag: maxSize, key: "processing.image_max_size", default: 768),
                promptFile: promptFile, schemaFile: schemaFile, maxOutputTokens: maxOutputTokens,
                mediaResolution: mediaResolution)
            describer.reuse = try ReusedAnswers.load(paths: reuse)
            let run = try ToolRun(tool: "gemini-describe", options: common, inputs: inputs, acceptsText: true,
                                  flushEachRecord: true, started: started)
            run.recordFromText = { path in ["path": .string(path)] }
            run.idSource = ToolRun.idFromPath
            if api.dryRun { return try describer.estimate(run: run) }
            if batchMode.batch, let statePath = batchMode.statePath(output: common.output) {
                return try BatchRunner(work: describer, settings: settings, statePath: statePath, batchSize: batchMode.batchSize,
                                          pollSeconds: batchMode.pollSeconds).run(run)
            }
            return try describer.describe(run: run)
        }
    }
}

extension MediaResolution: ExpressibleByArgument {}
