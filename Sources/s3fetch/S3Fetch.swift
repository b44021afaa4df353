// s3fetch: download the objects named by s3ls records, in parallel, verified and resumable.
import ArgumentParser
import HTTP
import Records
import S3
import ToolSupport

@main
struct S3Fetch: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3fetch",
        abstract: "Download the objects of s3ls records in parallel: verified, atomic, resumable.",
        discussion: """
        Each object streams to a temporary file in DIR and is renamed to DIR/<file name> only after \
        it passes the strongest check the object allows: the ETag as MD5 (unencrypted single-part), \
        else the stored checksum (CRC64NVME, CRC32C, CRC32, SHA-256, SHA-1), else the multipart ETag, \
        else the size. A file already there that passes the same check is reported as cached. Adds \
        path, bytes, fetch (downloaded|cached) and verified (md5|crc64nvme|…|multipart-etag|size). An \
        archived object (GLACIER, DEEP_ARCHIVE) becomes an error record with code archived after one GET; \
        --restore DAYS also asks S3 to restore it, and a rerun with -o downloads it once restored.

        Examples:
          s3fetch --dir downloads/GEN_batch_downloads < listed.ndjson > fetched.ndjson
          s3fetch --dir downloads/REAL --concurrency 128 --yes -o fetched.ndjson listed.ndjson
          s3ls s3://lake/GEN/ names.csv | s3fetch --dir downloads/GEN --keep-paths > fetched.ndjson
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Directory the files land in.") var dir: String = "downloads"
    @Flag(help: "Mirror the key's folders under DIR instead of DIR/<file name>.") var keepPaths = false
    @Option(help: "Parallel transfers.") var concurrency: Int = 64
    @Option(help: "Retries per object on 5xx, SlowDown, resets and short bodies.") var retries: Int = 5
    @Flag(name: [.customLong("yes"), .customLong("auto-confirm")], help: "Do not ask before downloading.") var yes = false
    @Option(help: ArgumentHelp("S3-compatible endpoint (default: AWS_ENDPOINT_URL, else AWS).", valueName: "URL")) var endpointUrl: String?
    @Option(help: "AWS profile from ~/.aws/config and ~/.aws/credentials.") var profile: String?
    @Option(help: "Pay for a requester-pays bucket's requests (public datasets).") var requestPayer: RequestPayer?
    @Option(help: ArgumentHelp("Ask S3 to restore archived (GLACIER, DEEP_ARCHIVE) objects for DAYS; rerun once restored.",
                               valueName: "DAYS")) var restore: Int?
    @Option(help: "Retrieval tier of --restore.") var restoreTier: RestoreTier = .bulk
    @Option(help: ArgumentHelp("The SSE-C key (32 bytes, raw or base64) from file:PATH or env:NAME; never the key itself.",
                               valueName: "SOURCE")) var sseCKey: String?
    @Argument(help: "s3ls record files (stdin when none).") var inputs: [String] = []

    func validate() throws {
        guard (1...4096).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 4096") }
        guard (0...100).contains(retries) else { throw ValidationError("--retries must be 0 to 100") }
        guard !dir.isEmpty else { throw ValidationError("--dir must not be empty") }
        if let restore { guard (1...36500).contains(restore) else { throw ValidationError("--restore takes 1 to 36500 days") } }
    }

    func run() throws {
        try ToolMain.run(tool: "s3fetch") {
            var options = common
            options.logFile = try FetchSession.prepareDirectory(dir, logFile: options.logFile)
            let run = try ToolRun(tool: "s3fetch", options: options, inputs: inputs)
            var configuration: S3Configuration
            do {
                configuration = try S3Configuration.resolve(endpointURL: endpointUrl, profile: profile)
            } catch let error as S3Error {
                throw ToolError("\(error)")
            }
            configuration.requestPayer = requestPayer?.rawValue
            let client = S3Client(configuration: configuration)
            client.onRegionChange = { message in run.logger.info("\(message)") }
            let downloader = try ObjectDownloader(client: client, layout: DownloadLayout(directory: dir, keepPaths: keepPaths),
                                                  concurrency: concurrency, retry: RetryPolicy(maximumRetries: retries))
            downloader.restore = restore.map { ($0, restoreTier) }
            if let sseCKey {
                do {
                    downloader.customerKey = try SSECustomerKey.load(sseCKey)
                } catch {
                    throw ToolError("\(error)")
                }
            }
            let session = FetchSession(run: run, downloader: downloader, directory: dir)
            if !yes, StandardError.shared.isTerminal { try session.confirm() }
            return try session.fetchAll()
        }
    }
}

extension RestoreTier: ExpressibleByArgument {}
