// ModelCheckOptions: --no-model-check of the tools that call a model (gemini-describe,
// categorize, embed), declared once so it means the same in each.
import ArgumentParser

public struct ModelCheckOptions: ParsableArguments, Sendable {
    @Flag(help: "Skip the start-up check of the model (GET models/NAME), for gateways that serve generateContent but not the model lookup.")
    public var noModelCheck = false

    public init() {}
}
