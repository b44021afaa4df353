// categorize: assign each described image one or two categories from a fixed list.
import ArgumentParser
import ToolSupport

@main
struct Categorize: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "categorize",
        abstract: "Assign each described image one or two categories from a list, with Gemini.",
        discussion: """
        The categories file is the reference CSV (a Category header, one per row), plain text one \
        per line, or NDJSON with "category". Answers are validated against the list; "unknown" \
        when none fits. Adds categories.

        Examples:
          categorize --categories categories.csv < described.ndjson > categorized.ndjson
          categorize --categories categories.csv --per-request 20 -o categorized.ndjson described.ndjson
          categorize --discover 30 --sample 500 described.ndjson > categories.csv
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Category list file.") var categories: String?
    @Option(help: "Descriptions per request.") var perRequest: Int = 20
    @Option(help: "Model id (config category_model, else caption_model).") var model: String?
    @Option(help: "Requests in flight.") var concurrency: Int = 8
    @Option(help: "Requests per minute limit.") var rpm: Int?
    @Option(help: "Input tokens per minute limit.") var tpm: Int?
    @Option(help: "Discover a list of N categories from the descriptions instead.") var discover: Int?
    @Option(help: "Descriptions sampled for --discover.") var sample: Int = 500
    @Option(help: "Output format: ndjson or csv (image_name,description,categories).") var format: String = "ndjson"
    @Option(help: "API endpoint (default: GOOGLE_GEMINI_BASE_URL, else Google's).") var baseUrl: String?
    @Flag(help: "Make no call; print the estimated tokens and cost.") var dryRun = false
    @Argument(help: "Record files (stdin when none).") var inputs: [String] = []

    func run() throws {
        ToolMain.notImplemented(tool: "categorize")
    }
}
