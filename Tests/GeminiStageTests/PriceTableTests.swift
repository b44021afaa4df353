// PriceTableTests: every branch of the price lookup — flags, config.yaml `prices:`, the built-in
// table, zero for a server on loopback, unknown — and the summary's cost text for each, at the
// batch discount too; and the config file's errors naming the file and the key.
import Gemini
import Records
import Testing
import ToolSupport
@testable import GeminiStage

@Suite struct PriceTableTests {
    static let google = GeminiEndpoint.googleBaseURL
    static let config = """
        caption_model: gemini-2.5-flash-lite
        prices:
          gemini-2.5-flash:
            input: 0.2
            output: 1.5
          llava-13b: {input: 0.05, output: 0.1, batch_discount: 0.25}
          text-embedder: {input: 0.02}
        """
    let usage = TokenUsage(inputTokens: 300_000, outputTokens: 40_000, thoughtsTokens: 10_000)

    func table() throws -> PriceTable { try PriceTable(config: ToolConfig.parse(Self.config, path: "c.yaml")) }

    @Test func flagsComeFirst() throws {
        let both = try #require(try table().price(model: "gemini-2.5-flash", baseURL: Self.google, flagInput: 1, flagOutput: 2))
        #expect(both.price == ModelPrice(input: 1, output: 2))
        #expect(both.costText(usage) == "cost $0.4000 at $1.00/$2.00 per 1M input/output tokens (--price-input/--price-output)")
        // One flag: the other side from the config.
        let one = try #require(try table().price(model: "gemini-2.5-flash", baseURL: Self.google, flagInput: 1))
        #expect(one.price == ModelPrice(input: 1, output: 1.5))
        #expect(one.sourceText == "--price-input/--price-output and config prices")
        // A flag for a model with no price anywhere, and not the other: unknown.
        #expect(try table().price(model: "mystery", baseURL: Self.google, flagInput: 1) == nil)
    }

    @Test func configOverridesTheBuiltInTableAndExtendsIt() throws {
        let flash = try #require(try table().price(model: "gemini-2.5-flash", baseURL: Self.google))
        #expect(flash.price == ModelPrice(input: 0.2, output: 1.5) && flash.source == .config)
        #expect(flash.costText(usage) == "cost $0.1350 at $0.20/$1.50 per 1M input/output tokens (config prices)")
        let llava = try #require(try table().price(model: "llava-13b", baseURL: "http://127.0.0.1:8000/v1"))
        #expect(llava.price == ModelPrice(input: 0.05, output: 0.1, batchDiscount: 0.25))
        // 25% off in Batch Mode: $0.0375 and $0.075 per 1M.
        #expect(llava.costText(usage, batchMode: true)
                == "cost $0.0150 at $0.0375/$0.075 per 1M input/output tokens (config prices, batch discount 25%)")
        #expect(try table().price(model: "text-embedder", baseURL: Self.google)?.price == ModelPrice(input: 0.02, output: 0))
    }

    @Test func theBuiltInTableMatchesByLongestPrefix() throws {
        let lite = try #require(PriceTable().price(model: "gemini-2.5-flash-lite-preview-09-2025", baseURL: Self.google))
        #expect(lite.price == ModelPrice(input: 0.10, output: 0.40) && lite.source == .builtIn("gemini-2.5-flash-lite"))
        #expect(lite.costText(usage) == "cost $0.0500 at $0.10/$0.40 per 1M input/output tokens (built-in gemini-2.5-flash-lite)")
        #expect(lite.costText(usage, batchMode: true)
                == "cost $0.0250 at $0.05/$0.20 per 1M input/output tokens (built-in gemini-2.5-flash-lite, batch discount 50%)")
        #expect(PriceTable().price(model: "gemini-2.5-flash", baseURL: Self.google)?.price == ModelPrice(input: 0.30, output: 2.50))
        #expect(PriceTable().price(model: "gemini-2.5-flash", baseURL: Self.google)?.costText(usage) == "cost $0.2150 at $0.30/$2.50 per 1M input/output tokens (built-in gemini-2.5-flash)")
        #expect(PriceTable().price(model: "models/gemini-2.5-pro", baseURL: Self.google)?.price.input == 1.25)
        let embedding = try #require(PriceTable().price(model: "gemini-embedding-001", baseURL: Self.google))
        #expect(embedding.costText(TokenUsage(inputTokens: 1_000_000), inputOnly: true)
                == "cost $0.1500 at $0.15 per 1M input tokens (built-in gemini-embedding-001)")
        // A known model on loopback (the emulator) keeps its list price.
        #expect(PriceTable().price(model: "gemini-2.5-flash-lite", baseURL: "http://127.0.0.1:9000")?.source == .builtIn("gemini-2.5-flash-lite"))
    }

    @Test(arguments: ["http://127.0.0.1:8000/v1", "http://127.3.4.5", "http://[::1]:11434/v1", "http://localhost:1234"])
    func anUnpricedModelOnLoopbackIsFree(base: String) throws {
        let local = try #require(PriceTable().price(model: "qwen2.5-vl-7b", baseURL: base))
        #expect(local.source == .localServer && local.price == ModelPrice(input: 0, output: 0))
        #expect(local.costText(usage) == "cost $0 (local server, no price given)")
        #expect(local.costText(usage, batchMode: true) == "cost $0 (local server, no price given)")
    }

    @Test(arguments: ["https://api.example.com/v1", "http://localhost.example.com", "http://127.1:8000", "not a url"])
    func anUnpricedModelElsewhereIsUnknown(base: String) {
        #expect(PriceTable().price(model: "qwen2.5-vl-7b", baseURL: base) == nil)
        #expect(PriceTable.costText(nil, model: "qwen2.5-vl-7b", usage: usage)
                == "cost unknown for qwen2.5-vl-7b (give --price-input and --price-output per 1M tokens, or prices: in config.yaml)")
    }

    @Test(arguments: [
        ("prices: 3\n", "c.yaml: prices: expected a mapping"),
        ("prices:\n  m: 0.1\n", "c.yaml: prices.m: expected {input"),
        ("prices:\n  m: {output: 1}\n", "c.yaml: prices.m.input: missing"),
        ("prices:\n  m: {input: cheap}\n", "c.yaml: prices.m.input: '\"cheap\"' is not a price"),
        ("prices:\n  m: {input: -1}\n", "c.yaml: prices.m.input: '-1' is not a price"),
        ("prices:\n  m: {input: 1, batch_discount: 2}\n", "c.yaml: prices.m.batch_discount: 2.0 is more than 1"),
        ("prices:\n  m: {input: 1, ouput: 2}\n", "c.yaml: prices.m.ouput: unknown price field"),
    ])
    func aBadPriceEntryNamesTheFileAndKey(text: String, message: String) {
        #expect {
            _ = try PriceTable(config: ToolConfig.parse(text, path: "c.yaml"))
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }
}
