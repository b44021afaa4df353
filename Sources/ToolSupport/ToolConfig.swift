// ToolConfig: settings from config.yaml, resolved with the rule flags > environment > file >
// defaults. Accepts the reference tool's keys so existing users keep their file.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix
import Records
import Yams

/// The parsed settings file (empty when there is none).
public struct ToolConfig: Sendable {
    /// The file it came from, if any.
    public let path: String?
    public let root: JSONObject

    /// Keys understood by the tools. The reference tool's keys come first. scripts/config-check.sh
    /// holds the same lists for the Makefile (ToolConfigTests keeps them equal).
    public static let knownKeys: Set<String> = Set([
        "gemini_api_key", "caption_model", "category_model",
        "processing.image_max_size", "processing.max_retries", "processing.retry_backoff_seconds",
        "processing.per_request_sleep_seconds", "processing.concurrency", "processing.jpeg_quality",
        "gemini.base_url", "gemini.rpm", "gemini.tpm", "gemini.concurrency",
        "s3.endpoint_url", "s3.region", "s3.profile", "s3.bucket", "s3.prefix", "s3.concurrency",
        "categories_file",
        // The reference's caption thread pool (our requests in flight) and its report settings.
        "processing.batch_size_captions", "report.thumbnail_size", "report.examples_per_cluster",
        // plotdist's language (en, or de as the reference's charts).
        "lang",
        // embed's model (the reference's text-embedding-004 is retired: embed names the replacement).
        "embedding_model",
        // cluster: the reference's clustering and keyword settings.
        "clustering.mode", "clustering.kmeans_k", "clustering.min_cluster_size", "clustering.min_samples",
        "tfidf.max_features", "tfidf.n_top_keywords",
        // USD per 1M tokens by model name (a mapping: its model names are free; GeminiStage's PriceTable).
        "prices",
        // The model tools' provider: gemini, or an OpenAI-compatible server and its key.
        "provider", "openai.base_url", "openai_api_key",
    ]).union(referenceKeysNotUsedYet)

    /// Keys of the reference tool's config.yaml.example for its analysis (embeddings, clustering,
    /// keywords, the cluster report), which no tool here does yet: accepted without a warning, so
    /// the reference's own file works as it is.
    public static let referenceKeysNotUsedYet: Set<String> = [
        "data.images_dir", "data.misclassified_dir", "data.outputs_dir",
        "processing.batch_size_embeddings",
    ]

    /// Set by the Makefile, which warns about unknown keys once per run: the tools it starts
    /// then do not repeat the warning.
    public static let checkedByCallerVariable = "IMAGEKIT_CONFIG_CHECKED"

    public init(path: String? = nil, root: JSONObject = JSONObject()) {
        self.path = path
        self.root = root
    }

    /// Loads `explicitPath`, or ./config.yaml when it exists, or nothing.
    public static func load(explicitPath: String?) throws -> ToolConfig {
        let path: String
        if let explicitPath {
            path = explicitPath
        } else if FileSystem.isReadable("config.yaml") {
            path = "config.yaml"
        } else {
            return ToolConfig()
        }
        let text: String
        do {
            text = try LineReader.readText(path: path)
        } catch {
            throw ToolError("cannot read config file \(path): \(error)")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> ToolConfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ToolError("\(path): not valid YAML: \(error)")
        }
        guard let node else { return ToolConfig(path: path) }
        guard case .object(let root) = Self.json(from: node) else {
            throw ToolError("\(path): expected a mapping of settings at the top level")
        }
        return ToolConfig(path: path, root: root)
    }

    /// Converts a YAML node, keeping mapping order (so messages follow the file).
    private static func json(from node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if node.null != nil { return .null }
                if let b = node.bool { return .bool(b) }
                if let i = node.int { return .int(i) }
                if let d = node.float { return .double(d) }
            }
            return .string(scalar.string)
        case .mapping(let mapping):
            return .object(JSONObject(mapping.map { pair in
                JSONObject.Field(key: pair.key.string ?? "\(pair.key)", value: json(from: pair.value))
            }))
        case .sequence(let sequence):
            return .array(sequence.map(json(from:)))
        case .alias:
            return .null
        }
    }

    /// The value at a dotted key (`processing.image_max_size`).
    public func value(_ dottedKey: String) -> JSONValue? {
        let value = root.value(at: dottedKey.split(separator: ".").map(String.init))
        return value?.isNull == true ? nil : value
    }

    public func string(_ key: String) -> String? {
        switch value(key) {
        case .string(let s): return s
        case .number(let n): return n
        default: return nil
        }
    }

    public func int(_ key: String) -> Int? { value(key)?.intValue }
    public func double(_ key: String) -> Double? { value(key)?.doubleValue }

    /// Dotted keys present in the file that no tool understands (likely typos).
    public var unknownKeys: [String] {
        var found: [String] = []
        func walk(_ object: JSONObject, prefix: String) {
            for field in object.fields {
                let key = prefix.isEmpty ? field.key : prefix + "." + field.key
                if case .object(let nested) = field.value, !Self.knownKeys.contains(key) {
                    walk(nested, prefix: key)
                } else if !Self.knownKeys.contains(key) {
                    found.append(key)
                }
            }
        }
        walk(root, prefix: "")
        return found
    }
}

/// Reads an environment variable; an empty or all-blank value counts as unset, and
/// surrounding whitespace is trimmed (as the official SDKs treat keys).
public func environmentValue(_ name: String) -> String? {
    guard let raw = getenv(name) else { return nil }
    let value = String(cString: raw)
    let trimmed = value.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    var text = String(trimmed)
    while let last = text.last, last == " " || last == "\t" || last == "\n" || last == "\r" { text.removeLast() }
    return text.isEmpty ? nil : text
}

extension ToolConfig {
    /// Resolves a setting: the flag if given, else the first set environment variable, else the
    /// config key, else the default. Values that do not parse are reported, not ignored.
    public func resolve<T: LosslessStringConvertible>(
        flag: T?, environment: [String] = [], key: String? = nil, default defaultValue: T
    ) throws -> T {
        if let flag { return flag }
        for name in environment {
            if let text = environmentValue(name) {
                guard let value = T(text) else { throw ToolError("environment variable \(name)=\(text) is not a valid value") }
                return value
            }
        }
        if let key, let text = string(key) {
            guard let value = T(text) else { throw ToolError("\(path ?? "config"): \(key): '\(text)' is not a valid value") }
            return value
        }
        return defaultValue
    }
}
