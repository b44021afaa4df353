// config.yaml and the precedence rule flags > environment > file > defaults.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
