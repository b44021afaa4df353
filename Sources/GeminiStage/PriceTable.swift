// PriceTable: what a model's tokens cost and where that price came from, for every tool's
// summary line. Lookup order: --price-input/--price-output → config.yaml `prices:` → the
// built-in table (Gemini's list prices) → 0 for a server on this machine (loopback base URL:
// a local model costs nothing per token) → unknown. Any model name works (an OpenAI-compatible
// server's too), so the lookup takes the name and the base URL, not a GeminiModel.
import Gemini
import HTTP
import Records
import ToolSupport

/// USD per 1M tokens for one model, and the share Batch Mode takes off.
public struct ModelPrice: Sendable, Equatable {
    public var input: Double
    public var output: Double
    /// The fraction taken off in Batch Mode (0.5: half price, Gemini's and OpenAI's discount).
    public var batchDiscount: Double

    public static let defaultBatchDiscount = 0.5

    public init(input: Double, output: Double, batchDiscount: Double = Self.defaultBatchDiscount) {
        self.input = input
        self.output = output
        self.batchDiscount = batchDiscount
    }
}

/// The price a run uses and where it came from (the summary line names both).
public struct ResolvedPrice: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// --price-input and --price-output (a side not given came from `rest`).
        case flags(rest: String?)
        /// config.yaml `prices:` for this model.
        case config
        /// The built-in table's entry (its key, such as gemini-2.5-flash-lite).
        case builtIn(String)
        /// No price known and the base URL is this machine: 0.
        case localServer
    }

    public var price: ModelPrice
    public var source: Source

    /// "config prices", "built-in gemini-2.5-flash-lite", "--price-input/--price-output", …
    public var sourceText: String {
        switch source {
        case .flags(let rest): return "--price-input/--price-output" + (rest.map { " and \($0)" } ?? "")
        case .config: return "config prices"
        case .builtIn(let key): return "built-in \(key)"
        case .localServer: return "local server, no price given"
        }
    }

    /// "cost $0.0413 at $0.10/$0.40 per 1M input/output tokens (config prices)", at the batch
    /// discount with `batchMode`; a local server's "cost $0 (local server, no price given)".
    public func costText(_ usage: TokenUsage, batchMode: Bool = false, inputOnly: Bool = false) -> String {
        if source == .localServer { return "cost $0 (\(sourceText))" }
        let factor = batchMode ? 1 - price.batchDiscount : 1
        let input = price.input * factor
        let output = price.output * factor
        let cost = usage.cost(inputPrice: input, outputPrice: output)
        let discount = batchMode ? ", batch discount \(Format.fixed(price.batchDiscount * 100, 0))%" : ""
        let rate = inputOnly ? "$\(Self.dollars(input)) per 1M input tokens"
                             : "$\(Self.dollars(input))/$\(Self.dollars(output)) per 1M input/output tokens"
        return "cost $\(Format.fixed(cost, cost < 1 ? 4 : 2)) at \(rate) (\(sourceText)\(discount))"
    }
}

extension ResolvedPrice {
    /// A price per 1M tokens with cents, and more digits only where it has them (0.10, 0.075).
    static func dollars(_ value: Double) -> String {
        var text = Format.fixed(value, 4)
        while text.hasSuffix("0"), let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > 3 { text.removeLast() }
        return text
    }
}

/// The built-in prices, extended and overridden by config.yaml's `prices:`.
public struct PriceTable: Sendable {
    /// config.yaml's entries by model name.
    public var configured: [String: ModelPrice]

    /// Gemini's list prices, paid tier, USD per 1M tokens (gemini-api.md §6.2); a key matches
    /// the model name itself or as a prefix (`gemini-2.5-flash-lite-preview-…`), the longest key
    /// first, so flash-lite is not priced as flash.
    public static let builtIn: [(key: String, price: ModelPrice)] = [
        ("gemini-2.5-flash-lite", ModelPrice(input: 0.10, output: 0.40)),
        ("gemini-2.5-flash", ModelPrice(input: 0.30, output: 2.50)),
        ("gemini-2.5-pro", ModelPrice(input: 1.25, output: 10.00)),
        ("gemini-embedding-001", ModelPrice(input: 0.15, output: 0)),
    ]

    public init(configured: [String: ModelPrice] = [:]) {
        self.configured = configured
    }

    /// The `prices:` mapping of `config` (`MODEL: {input, output, batch_discount}`); a bad entry
    /// is an error naming the file and the key.
    public init(config: ToolConfig) throws {
        var configured: [String: ModelPrice] = [:]
        let file = config.path ?? "config"
        guard let prices = config.value("prices") else {
            self.init()
            return
        }
        guard let table = prices.objectValue else {
            throw ToolError("\(file): prices: expected a mapping of model names to {input, output, batch_discount}")
        }
        for field in table.fields {
            let key = "prices.\(field.key)"
            guard let entry = field.value.objectValue else {
                throw ToolError("\(file): \(key): expected {input: USD per 1M, output: USD per 1M, batch_discount: 0.5}")
            }
            for name in entry.fields.map(\.key) where !["input", "output", "batch_discount"].contains(name) {
                throw ToolError("\(file): \(key).\(name): unknown price field (input, output or batch_discount)")
            }
            func number(_ name: String, default value: Double?) throws -> Double {
                guard let raw = entry[name], !raw.isNull else {
                    guard let value else { throw ToolError("\(file): \(key).\(name): missing (USD per 1M tokens)") }
                    return value
                }
                guard let number = raw.doubleValue, number >= 0 else {
                    throw ToolError("\(file): \(key).\(name): '\(JSONSerializer.string(raw))' is not a price (a number ≥ 0)")
                }
                return number
            }
            let discount = try number("batch_discount", default: ModelPrice.defaultBatchDiscount)
            guard discount <= 1 else { throw ToolError("\(file): \(key).batch_discount: \(discount) is more than 1 (the fraction taken off)") }
            // An embedding model has no output tokens: output may be left out.
            configured[field.key] = ModelPrice(input: try number("input", default: nil), output: try number("output", default: 0),
                                               batchDiscount: discount)
        }
        self.init(configured: configured)
    }

    /// The built-in entry for `model` (exact, or the longest key it starts with).
    public static func builtInPrice(for model: String) -> (key: String, price: ModelPrice)? {
        let name = model.hasPrefix("models/") ? String(model.dropFirst("models/".count)) : model
        return builtIn.filter { name == $0.key || name.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }
    }

    /// The price for `model` at `baseURL`, or nil when none is known (the summary then asks for
    /// --price-input/--price-output). A flag sets its side; the other side comes from below.
    public func price(model: String, baseURL: String, flagInput: Double? = nil, flagOutput: Double? = nil) -> ResolvedPrice? {
        let below: ResolvedPrice?
        if let entry = configured[model] {
            below = ResolvedPrice(price: entry, source: .config)
        } else if let entry = Self.builtInPrice(for: model) {
            below = ResolvedPrice(price: entry.price, source: .builtIn(entry.key))
        } else if (try? EndpointURL(baseURL))?.isLoopback == true, flagInput == nil, flagOutput == nil {
            below = ResolvedPrice(price: ModelPrice(input: 0, output: 0), source: .localServer)
        } else {
            below = nil
        }
        guard flagInput != nil || flagOutput != nil else { return below }
        guard let input = flagInput ?? below?.price.input, let output = flagOutput ?? below?.price.output else { return nil }
        let rest = flagInput != nil && flagOutput != nil ? nil : below?.sourceText
        return ResolvedPrice(price: ModelPrice(input: input, output: output, batchDiscount: below?.price.batchDiscount ?? ModelPrice.defaultBatchDiscount),
                             source: .flags(rest: rest))
    }

    /// The summary's cost, or the note that it is unknown.
    public static func costText(_ resolved: ResolvedPrice?, model: String, usage: TokenUsage, batchMode: Bool = false,
                                inputOnly: Bool = false) -> String {
        guard let resolved else {
            let flags = inputOnly ? "--price-input" : "--price-input and --price-output"
            return "cost unknown for \(model) (give \(flags) per 1M tokens, or prices: in config.yaml)"
        }
        return resolved.costText(usage, batchMode: batchMode, inputOnly: inputOnly)
    }
}
