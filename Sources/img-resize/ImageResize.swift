// img-resize: shrink images for the vision model (long side ≤ 768 px, JPEG q90).
import ArgumentParser
import Imaging
import Posix
import Records
import ToolSupport

@main
struct ImageResize: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "img-resize",
        abstract: "Shrink images so the long side is at most --max-size pixels, as JPEG (or PNG).",
        discussion: """
        Reads records with a "path" (from s3fetch), plain paths one per line, or directories. \
        Applies EXIF orientation; converts CMYK, gray, palette, 16-bit and alpha (over white) to RGB; \
        never upscales. Adds image {path, width, height, bytes, source_width, source_height, source_format}.

        Examples:
          img-resize --out-dir work/GEN/resized < fetched.ndjson > resized.ndjson
          img-resize --out-dir thumbs --max-size 512 --jobs 2 --max-memory 256M photos/
          find photos -name '*.jpg' | img-resize --out-dir small -o resized.ndjson
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Directory for the resized files (<id>.jpg).") var outDir: String = "resized"
    @Option(help: "Longest side in pixels (config processing.image_max_size; default 768).") var maxSize: Int?
    @Option(help: "JPEG quality.") var quality: Int = 90
    @Option(help: "Output format: jpeg or png.") var format: ResizeOptions.OutputFormat = .jpeg
    @Option(help: ArgumentHelp("JPEG colour sampling: 444 (full) or 420 (half, smaller files).", valueName: "444|420"))
    var chroma: JPEGCodec.ChromaSubsampling = .full
    @Option(help: "Refuse images with more pixels than this (checked from the header).") var maxPixels: Int = 100_000_000
    @Option(help: ArgumentHelp("Memory one worker may spend on one image (file, decoder, resampler); an image needing more becomes a too_large error record. Peak ≈ jobs × this.", valueName: "SIZE"))
    var maxMemory: ByteSize = ByteSize(bytes: ResizeOptions().maximumMemory)
    @Option(help: ArgumentHelp("Colour that transparent pixels are composited on.", valueName: "RRGGBB")) var background: RGBColor = .white
    @Flag(help: "Copy images already small enough instead of re-encoding them.") var keepSmall = false
    @Option(help: "Parallel workers (default: all cores).") var jobs: Int?
    @Argument(help: "Record files, or image files/directories (stdin when none).") var inputs: [String] = []

    func validate() throws {
        if let maxSize, maxSize < 1 { throw ValidationError("--max-size must be at least 1") }
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1…100") }
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive") }
        guard maxMemory.bytes >= 16 << 20 else { throw ValidationError("--max-memory must be at least 16M") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        try ToolRun.checkReadable(inputs)
    }

    func run() throws {
        try ToolMain.run(tool: ResizeWorker.stage) {
            let started = try common.general.start(tool: ResizeWorker.stage)
            var options = ResizeOptions()
            options.maximumSize = try started.config.resolve(flag: maxSize, environment: ["IMG_RESIZE_MAX_SIZE"],
                                                             key: "processing.image_max_size", default: 768)
            guard options.maximumSize >= 1 else { throw ToolError.usage("image max size must be at least 1") }
            let sources = try ImageInputs.sources(for: inputs)
            let run = try ToolRun(tool: ResizeWorker.stage, options: common, inputs: sources, acceptsText: true, started: started)
            run.recordFromText = { line in ["path": .string(line)] }
            run.idSource = ToolRun.idFromPath
            options.maximumPixels = maxPixels
            options.maximumMemory = maxMemory.bytes
            options.quality = quality
            options.format = format
            options.chroma = chroma
            options.background = background
            options.keepSmall = keepSmall
            try ImageInputs.makeDirectory(outDir)
            let worker = ResizeWorker(options: options, outputDirectory: outDir)
            return try run.processInParallel(jobs: jobs ?? CurrentProcess.processorCount) { worker.process($0) }
        }
    }
}

/// `--max-memory 512M`: sizes as people write them.
extension ByteSize: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension ResizeOptions.OutputFormat: ExpressibleByArgument {}
extension JPEGCodec.ChromaSubsampling: ExpressibleByArgument {}

/// `--background ffffff` (or `#ffffff`).
extension RGBColor: ExpressibleByArgument {
    public init?(argument: String) { self.init(hex: argument) }
    public var defaultValueDescription: String { hexText }
}
