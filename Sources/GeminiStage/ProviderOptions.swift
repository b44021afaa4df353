// ProviderOptions: --provider of the tools that call a model (gemini-describe, categorize,
// embed), declared once so it means the same in each. --base-url and --model keep their meaning:
// for --provider openai they name the OpenAI-compatible server (http://127.0.0.1:8000/v1) and
// its model.
import ArgumentParser
import Gemini

public struct ProviderOptions: ParsableArguments, Sendable {
    @Option(help: "gemini, or openai: an OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio, LiteLLM) at --base-url, key from OPENAI_API_KEY (config provider; default gemini).")
    public var provider: ModelProvider?

    public init() {}
}

extension ModelProvider: ExpressibleByArgument {}
