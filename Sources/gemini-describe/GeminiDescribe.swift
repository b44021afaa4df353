// gemini-describe: caption each image as structured JSON with Gemini.
import ArgumentParser
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
        description, summary, model, usage and finish_reason.

        Examples:
          gemini-describe --dry-run < resized.ndjson
          gemini-describe --concurrency 16 --rpm 1000 -o described.ndjson resized.ndjson
          img-resize --out-dir r < fetched.ndjson | gemini-describe > described.ndjson
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Model id (config caption_model).") var model: String?
    @Option(help: "Requests in flight.") var concurrency: Int = 16
    @Option(help: "Requests per minute limit.") var rpm: Int?
    @Option(help: "Input tokens per minute limit.") var tpm: Int?
    @Option(help: "Images larger than this are shrunk before sending.") var maxSize: Int?
    @Option(help: "Prompt text file replacing the default prompt.") var promptFile: String?
    @Option(help: "Response schema (JSON) replacing the default description schema.") var schemaFile: String?
    @Option(help: "API endpoint (default: GOOGLE_GEMINI_BASE_URL, else Google's).") var baseUrl: String?
    @Option(help: "low, medium or high, where the model supports it.") var mediaResolution: String?
    @Flag(help: "Make no call; print the estimated tokens and cost.") var dryRun = false
    @Argument(help: "Record files or image paths (stdin when none).") var inputs: [String] = []

    func run() throws {
        ToolMain.notImplemented(tool: "gemini-describe")
    }
}
