// categorize: assign each described image one or two categories from a fixed list.
import ArgumentParser
import Gemini
import GeminiStage
import Records
import ToolSupport

@main
struct Categorize: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "categorize",
        abstract: "Assign each described image one or two categories from a list, with Gemini.",
        discussion: """
        The categories file is the reference CSV (a Category header, one per row), plain text one \
        per line, or NDJSON with "category". Answers are validated against the list; "unknown" \
        when none fits. Adds categories (and warnings when the model named unlisted ones). \
        Records with an error or without a description pass through untouched. \
        --provider openai sends the same requests to an OpenAI-compatible server (vLLM, Ollama, \
        llama.cpp, LM Studio, LiteLLM) at --base-url, with OPENAI_API_KEY (none for a keyless local or LAN server).

        Examples:
          categorize --categories categories.csv < described.ndjson > out.ndjson
          categorize --categories c.csv --per-request 20 -o out.ndjson described.ndjson
          categorize --discover 30 --sample 500 described.ndjson > categories.csv
          categorize --batch --categories c.csv -o out.ndjson described.ndjson

        --batch uses Gemini Batch Mode (with --provider openai: the server's /v1/batches; half price, results within 24 h): each request is the \
        call the online run makes (--per-request descriptions), in jobs of --batch-size requests \
        polled every --poll-seconds; the job names are kept in OUTPUT.batch.json, so a rerun after \
        a Ctrl-C or a crash polls those jobs instead of paying for them again. An id the model \
        leaves out (or answers with no listed category) is an error record the next run asks again.
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Category list file (config categories_file).") var categories: String?
    @Option(help: "Descriptions per request.") var perRequest: Int = 20
    @Option(help: "Model id (config category_model, else caption_model).") var model: String?
    @Option(help: "Requests in flight.") var concurrency: Int = 8
    @Option(help: "Discover a list of N categories from the descriptions instead (writes a categories CSV).") var discover: Int?
    @Option(help: "Descriptions sampled for --discover.") var sample: Int = 500
    @Option(help: "Output format: ndjson, or csv: the reference's image_name,description,categories of already categorized records, no model call (not with -o).") var format: OutputFormat = .ndjson
    @Option(help: ArgumentHelp("With --format csv: write the records without a result here (image_name,stage,code,message).", valueName: "FILE")) var failed: String?
    @Option(help: ArgumentHelp("A reference categorized CSV (image_name,description,categories): its images get its categories, no call (repeatable).", valueName: "CSV")) var reuse: [String] = []
    @OptionGroup var batchMode: BatchModeOptions
    @OptionGroup var api: ModelAPIOptions
    @OptionGroup var providerOptions: ProviderOptions
    @OptionGroup var modelCheck: ModelCheckOptions
    @Option(help: "Price in USD per 1M output tokens (default: the model's list price).") var priceOutput: Double?
    @Argument(help: "Record files (stdin when none).") var inputs: [String] = []

    enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
        case ndjson, csv
    }

    func validate() throws {
        if format == .csv, common.output != nil {
            throw ValidationError("--format csv writes to stdout; -o keeps the resumable NDJSON (convert that later)")
        }
        if failed != nil, format != .csv { throw ValidationError("--failed goes with --format csv") }
        guard perRequest >= 1 else { throw ValidationError("--per-request must be at least 1") }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        if let discover, discover < 2 { throw ValidationError("--discover needs at least 2 categories") }
        try batchMode.validate(output: common.output, dryRun: api.dryRun)
        if batchMode.batch, discover != nil { throw ValidationError("--discover makes one call; it does not go with --batch") }
        if batchMode.batch, !reuse.isEmpty { throw ValidationError("--reuse does not go with --batch yet") }
        try ToolRun.checkReadable(inputs)
        try ToolRun.checkReadable(categories.map { [$0] } ?? [], kind: "categories")
        try ToolRun.checkReadable(reuse, kind: "reference CSV")
    }

    func run() throws {
        try ToolMain.run(tool: "categorize") {
            if format == .csv {
                // A conversion of finished records: no settings, no key, no call.
                return try ReferenceCSVExport(kind: .categorized, inputs: inputs, failedPath: failed).runAsTool("categorize")
            }
            let started = try common.general.start(tool: "categorize")
            // The category list (a file the person names) is checked before the key.
            let list = try discover == nil ? Self.categoryList(path: categories ?? started.config.string("categories_file"), warn: { started.logger.warning("\($0)") }) : nil
            let flags = GeminiSettings.Flags(model: model, baseURL: api.baseUrl, concurrency: concurrency, rpm: api.rpm, tpm: api.tpm,
                                             priceInput: api.priceInput, priceOutput: priceOutput, requireKey: !api.dryRun,
                                             checkModel: !modelCheck.noModelCheck, provider: providerOptions.provider)
            let settings = try GeminiSettings(flags: flags, config: started.config, logger: started.logger, modelKey: "category_model")
            if batchMode.batch, !api.dryRun { try BatchRunner.checkProvider(settings) }
            if let discover {
                let run = try ToolRun(tool: "categorize", options: common, inputs: inputs, flushEachRecord: true, started: started)
                let names = try Categorizer.discover(run: run, settings: settings, count: discover, sampleSize: sample)
                print(CategoryTable.categoriesCSV(names), terminator: "")
                return run.finish()
            }
            guard let list else { throw ToolError.usage("give the category list with --categories FILE (or categories_file in config.yaml)") }
            let categorizer = try Categorizer(settings: settings, list: list, perRequest: perRequest)
            categorizer.reuse = try ReusedAnswers.load(paths: reuse)
            let run = try ToolRun(tool: "categorize", options: common, inputs: inputs, flushEachRecord: true, started: started)
            if api.dryRun { return try categorizer.estimate(run: run, batchMode: batchMode.batch) }
            if batchMode.batch, let statePath = batchMode.statePath(output: common.output) {
                return try BatchRunner(work: CategorizerBatchWork(categorizer: categorizer), settings: settings, statePath: statePath,
                                       batchSize: batchMode.batchSize, pollSeconds: batchMode.pollSeconds).run(run)
            }
            return try categorizer.categorize(run: run)
        }
    }

    /// The category list at `path`, its problems logged; fails when there is none or it cannot be read.
    static func categoryList(path: String?, warn: (String) -> Void) throws -> CategoryList {
        guard let path else {
            throw ToolError.usage("give the category list with --categories FILE (or categories_file in config.yaml)")
        }
        let list: CategoryList
        do {
            list = try CategoryList.load(path: path)
        } catch {
            throw ToolError("cannot read categories: \(error)")
        }
        for problem in list.problems { warn("\(problem)") }
        return list
    }
}
