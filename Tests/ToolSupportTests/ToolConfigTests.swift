// config.yaml and the precedence rule flags > environment > file > defaults.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import Records
@testable import ToolSupport

@Suite struct ToolConfigTests {
    static let referenceConfig = """
        gemini_api_key: "key-from-file"
        caption_model: gemini-2.5-flash-lite
        processing:
          image_max_size: 768
          max_retries: 5
          retry_backoff_seconds: 2.5
          per_request_sleep_seconds: 0
        typo_setting: 1
        """

    @Test func referenceKeysAreRead() throws {
        let config = try ToolConfig.parse(Self.referenceConfig, path: "config.yaml")
        #expect(config.string("caption_model") == "gemini-2.5-flash-lite")
        #expect(config.int("processing.image_max_size") == 768)
        #expect(config.int("processing.max_retries") == 5)
        #expect(config.double("processing.retry_backoff_seconds") == 2.5)
        #expect(config.double("processing.per_request_sleep_seconds") == 0)
        #expect(config.string("gemini_api_key") == "key-from-file")
        #expect(config.value("processing.missing") == nil)
    }

    @Test func unknownKeysAreReportedAsLikelyTypos() throws {
        let config = try ToolConfig.parse(Self.referenceConfig + "\nprocessing_typo:\n  x: 1\n", path: "config.yaml")
        #expect(config.unknownKeys == ["typo_setting", "processing_typo.x"])
    }

    @Test func everyKeyOfTheReferenceExampleIsKnown() throws {
        // The reference tool's config.yaml.example, as its users have it.
        let example = """
            gemini_api_key: "YOUR_GEMINI_API_KEY_HERE"
            caption_model: gemini-2.5-flash-lite
            embedding_model: text-embedding-004
            data:
              images_dir: data/input/baseline
              misclassified_dir: data/input/misclassified
              outputs_dir: data/outputs
            processing:
              image_max_size: 768
              batch_size_captions: 8
              batch_size_embeddings: 64
              per_request_sleep_seconds: 0.0
              max_retries: 3
              retry_backoff_seconds: 2.0
            clustering:
              mode: auto   # auto|hdbscan|kmeans
              kmeans_k: auto
              min_cluster_size: 15
              min_samples: auto
            tfidf:
              max_features: 3000
              n_top_keywords: 10
            report:
              thumbnail_size: 256
              examples_per_cluster: 12
            """
        let config = try ToolConfig.parse(example, path: "config.yaml")
        #expect(config.unknownKeys.isEmpty, "\(config.unknownKeys)")
        #expect(try ToolConfig.parse(example + "\nclusterin:\n  mode: 1\n", path: "config.yaml").unknownKeys == ["clusterin.mode"])
    }

    @Test func theMakefilesKeyListsAreTheToolsKeyLists() throws {
        // scripts/config-check.sh warns for the Makefile (once per run): its lists must be these.
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let script = try String(contentsOf: url.appendingPathComponent("scripts/config-check.sh"), encoding: .utf8)
        func list(_ name: String) -> Set<String> {
            guard let start = script.range(of: name + "=\"")?.upperBound,
                  let end = script[start...].firstIndex(of: "\"") else { return [] }
            return Set(script[start..<end].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
        }
        #expect(list("not_used_yet") == ToolConfig.referenceKeysNotUsedYet)
        #expect(list("used").union(list("not_used_yet")) == ToolConfig.knownKeys)
        #expect(list("used").isDisjoint(with: ToolConfig.referenceKeysNotUsedYet))
    }

    @Test func pricesByModelNameAreAKnownKey() throws {
        // Model names have dots and are free: the whole mapping is one known key.
        let config = try ToolConfig.parse("""
            prices:
              gemini-2.5-flash: {input: 0.2, output: 1.5}
              llava-13b:
                input: 0.05
                output: 0.1
                batch_discount: 0.5
            pricez: 1
            """, path: "config.yaml")
        #expect(config.unknownKeys == ["pricez"])
        #expect(config.value("prices")?.objectValue?.keys == ["gemini-2.5-flash", "llava-13b"])
        #expect(config.value("prices")?["llava-13b"]?["batch_discount"]?.doubleValue == 0.5)
    }

    @Test func malformedYAMLNamesTheFile() {
        #expect {
            _ = try ToolConfig.parse("processing: [unclosed", path: "my.yaml")
        } throws: { error in
            "\(error)".hasPrefix("my.yaml: not valid YAML")
        }
        #expect {
            _ = try ToolConfig.parse("- a list\n- not a mapping", path: "list.yaml")
        } throws: { error in
            "\(error)".contains("expected a mapping")
        }
    }

    @Test func flagBeatsEnvironmentBeatsFileBeatsDefault() throws {
        let config = try ToolConfig.parse(Self.referenceConfig, path: "config.yaml")
        let variable = "IMAGEKIT_TEST_MAX_SIZE_\(getpid())"
        unsetenv(variable)
        #expect(try config.resolve(flag: 512, environment: [variable], key: "processing.image_max_size", default: 1024) == 512)
        #expect(try config.resolve(flag: nil as Int?, environment: [variable], key: "processing.image_max_size", default: 1024) == 768)
        #expect(try config.resolve(flag: nil as Int?, environment: [variable], key: "processing.absent", default: 1024) == 1024)
        setenv(variable, " 640 ", 1)
        defer { unsetenv(variable) }
        #expect(try config.resolve(flag: nil as Int?, environment: [variable], key: "processing.image_max_size", default: 1024) == 640)
        setenv(variable, "big", 1)
        #expect(throws: ToolError.self) {
            _ = try config.resolve(flag: nil as Int?, environment: [variable], key: "processing.image_max_size", default: 1024)
        }
    }

    @Test func blankEnvironmentValueCountsAsUnset() {
        let variable = "IMAGEKIT_TEST_BLANK_\(getpid())"
        setenv(variable, "   ", 1)
        defer { unsetenv(variable) }
        #expect(environmentValue(variable) == nil)
    }

    @Test func invalidFileValueIsReportedWithItsKey() throws {
        let config = try ToolConfig.parse("processing:\n  image_max_size: large\n", path: "c.yaml")
        #expect {
            _ = try config.resolve(flag: nil as Int?, key: "processing.image_max_size", default: 768)
        } throws: { error in
            "\(error)" == "c.yaml: processing.image_max_size: 'large' is not a valid value"
        }
    }
}
