// The emulator against Google's own Python SDK (google-genai, installed by scripts/deps.sh):
// emulator/official_sdk_suite.py runs models.get, a structured generateContent with an inline
// JPEG, countTokens, a refused key, one Batch Mode job and embeddings (embed_content, the retired
// model, an embeddings batch) and the paged batches list over v1 and v1beta, on loopback only.
// The OpenAI face against OpenAI's own Python SDK (openai, also from scripts/deps.sh):
// emulator/openai_sdk_suite.py runs models, a parsed json_schema chat completion with a data-URL
// JPEG, embeddings, errors raised as the SDK's exception classes, and one Batch API job (files,
// batches, the output and error files).
import Foundation
import Testing
import TestUtilities

@Suite struct OfficialSDKTests {
    @Test func officialPythonSDKWorksAgainstTheEmulatorOnV1AndV1beta() throws {
        let emulator = try GeminiEmulator(["--batch-seconds", "0.2"])
        defer { withExtendedLifetime(emulator) {} }
        // No key or endpoint from the machine's environment may steer the SDK elsewhere.
        var environment = ProcessInfo.processInfo.environment
        for name in ["GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_GENAI_API_VERSION", "GOOGLE_GEMINI_BASE_URL",
                     "GOOGLE_GENAI_USE_VERTEXAI", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"] {
            environment[name] = nil
        }
        let arguments = (GeminiEmulator.python.hasSuffix("env") ? ["python3"] : [])
            + [GeminiEmulator.packageRoot + "/emulator/official_sdk_suite.py", emulator.baseURL, GeminiEmulator.apiKey]
        let outcome = try ProcessRunner.run(GeminiEmulator.python, arguments, replacingEnvironment: environment)
        let output = outcome.stdout
        let lines = outcome.stdoutLines
        #expect(outcome.status == 0, "\(output)\n\(outcome.stderr.suffix(3000))")
        for version in ["v1", "v1beta"] {
            for check in ["models.get", "generateContent", "countTokens", "refused key", "batch", "embed_content",
                          "retired embedding model", "embeddings batch", "batches.list"] {
                #expect(lines.contains { $0.hasPrefix("ok \(version) \(check):") }, "no ok line for \(version) \(check)")
            }
        }
        #expect(lines.last == "18 checks passed, 0 failed")
        // The JPEG reached the emulator decoded: its dominant colour came back in the parsed answer.
        #expect(lines.contains { $0.hasPrefix("ok v1 generateContent:") && $0.contains("colors=['red']") })
        #expect((try emulator.stats()["images"] as? Int ?? 0) >= 4)
    }

    @Test func officialOpenAIPythonSDKWorksAgainstTheOpenAIFace() throws {
        let emulator = try GeminiEmulator(["--batch-seconds", "0.3"])
        defer { withExtendedLifetime(emulator) {} }
        // No key, endpoint or proxy from the machine's environment may steer the SDK elsewhere.
        var environment = ProcessInfo.processInfo.environment
        for name in ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "HTTPS_PROXY", "https_proxy",
                     "HTTP_PROXY", "http_proxy", "ALL_PROXY"] {
            environment[name] = nil
        }
        let arguments = (GeminiEmulator.python.hasSuffix("env") ? ["python3"] : [])
            + [GeminiEmulator.packageRoot + "/emulator/openai_sdk_suite.py", emulator.baseURL, GeminiEmulator.apiKey]
        let outcome = try ProcessRunner.run(GeminiEmulator.python, arguments, replacingEnvironment: environment)
        let lines = outcome.stdoutLines
        #expect(outcome.status == 0, "\(outcome.stdout)\n\(outcome.stderr.suffix(3000))")
        for check in ["models", "chat json_schema image", "strict schema refused", "embeddings", "refused key", "unknown model", "503 error class",
                      "batch"] {
            #expect(lines.contains { $0.hasPrefix("ok \(check):") }, "no ok line for \(check)")
        }
        #expect(lines.last == "8 checks passed, 0 failed")
        #expect(try emulator.stats()["batches_created"] as? Int == 1 && emulator.stats()["files_uploaded"] as? Int == 1)
        // The JPEG reached the emulator decoded: its dominant colour came back in the parsed answer.
        #expect(lines.contains { $0.hasPrefix("ok chat json_schema image:") && $0.contains("colors=['red']") })
        #expect((try emulator.stats()["openai_chat"] as? Int ?? 0) >= 4)
    }
}
