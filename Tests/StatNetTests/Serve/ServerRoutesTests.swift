import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
import StatNet
import StatNetServer

/// Every route of `statnet serve` and every error, through Hummingbird's test client.
final class ServerRoutesTests: XCTestCase {
    /// Two small models (trained once for all tests here, in a folder removed after the last)
    /// and the test set.
    nonisolated(unsafe) static var shared: DigitService?
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statnet-serve-tests-\(getpid())").path

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
        super.tearDown()
    }

    func service() throws -> DigitService { try Self.sharedService() }

    static func sharedService() throws -> DigitService {
        if let s = Self.shared { return s }
        let mnist = try SharedMNIST.get()
        let base = Self.folder
        var folders: [String] = []
        for model in ModelKind.allCases {
            var config = TrainingConfig(model: model, preset: .physics)
            (config.trainSize, config.epochs, config.threads) = (1_000, 1, 2)
            let folder = "\(base)/\(model.rawValue)"
            _ = try RunFolder.train(config: config, out: folder, mode: .new, data: { mnist }, observers: [])
            folders.append(folder)
        }
        let s = DigitService(statnet: try TrainedModel(folder: folders[0]), mlpnet: try TrainedModel(folder: folders[1]), test: mnist.test)
        Self.shared = s
        return s
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any], String(buffer: buffer))
    }

    /// A dark vertical bar on white, as the page sends a drawing.
    static func drawing(width: Int = 100, height: Int = 100) -> [String: Any] {
        var pixels = [Int](repeating: 255, count: width * height)
        for y in height / 5..<height * 4 / 5 { for x in width * 45 / 100..<width * 55 / 100 { pixels[y * width + x] = 0 } }
        return ["width": width, "height": height, "pixels": pixels]
    }

    static func body(_ object: Any) throws -> ByteBuffer { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object)) }

    func testRoutes() async throws {
        let service = try service()
        let test = try SharedMNIST.get().test
        let drawing = try Self.body(Self.drawing())
        let app = Application(router: ServerRoutes.router(service: service))
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { XCTAssertEqual($0.status, .ok) }
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "text/html; charset=utf-8")
                let page = String(buffer: response.body)
                for id in ["id=\"pad\"", "id=\"clear\"", "id=\"statnet-digit\"", "id=\"mlpnet-digit\"", "id=\"channel-energy\"", "id=\"channel-level\"",
                           "id=\"channel-entropy\"", "id=\"channel-meanEnergy\"", "id=\"random\"", "id=\"disagreement\""] {
                    XCTAssertTrue(page.contains(id), id)
                }
                XCTAssertFalse(page.contains("http://") || page.contains("https://"), "no CDN, no outside request")
            }
            try await client.execute(uri: "/api/predict", method: .post, body: drawing) { response in
                XCTAssertEqual(response.status, .ok, String(buffer: response.body))
                let o = try Self.json(response.body)
                let preprocessed = try XCTUnwrap(o["preprocessed"] as? [Int])
                XCTAssertEqual(preprocessed.count, 784)
                let features = try XCTUnwrap(o["features"] as? [String: Any])
                XCTAssertEqual(features["variant"] as? String, "boltzmann")
                for name in ["energy", "level", "entropy", "meanEnergy"] { XCTAssertEqual((features[name] as? [Double])?.count, 784, name) }
                let models = try XCTUnwrap(o["models"] as? [String: [String: Any]])
                for name in ["statnet", "mlpnet"] {
                    let p = try XCTUnwrap(models[name]?["probabilities"] as? [Double])
                    XCTAssertEqual(p.count, 10)
                    XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-4)
                    XCTAssertEqual(models[name]?["digit"] as? Int, p.indices.max { p[$0] < p[$1] })
                }
            }
            try await client.execute(uri: "/api/test/3", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                let o = try Self.json(response.body)
                XCTAssertEqual(o["label"] as? Int, Int(test.labels[3]))
                XCTAssertEqual(o["index"] as? Int, 3)
                XCTAssertEqual(o["preprocessed"] as? [Int], test.image(3).map(Int.init))
            }
            try await client.execute(uri: "/api/disagreements", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                let indices = try XCTUnwrap(try Self.json(response.body)["indices"] as? [Int])
                XCTAssertFalse(indices.isEmpty, "two small models disagree somewhere")
                XCTAssertTrue(indices.allSatisfy { (0..<10_000).contains($0) })
                let first = try XCTUnwrap(try service.analyse(testIndex: indices[0]))
                XCTAssertNotEqual(first.models["statnet"]?.digit, first.models["mlpnet"]?.digit)
            }
        }
    }

    func testEveryErrorIsJSON() async throws {
        let service = try service()
        let app = Application(router: ServerRoutes.router(service: service))
        let huge = ByteBuffer(bytes: [UInt8](repeating: 0x20, count: (1 << 20) + 10))
        let blank: [String: Any] = ["width": 10, "height": 10, "pixels": [Int](repeating: 255, count: 100)]
        let cases: [(String, HTTPRequest.Method, ByteBuffer?, HTTPResponse.Status, String)] = [
            ("/api/predict", .post, ByteBuffer(string: "not json"), .badRequest, "must be JSON"),
            ("/api/predict", .post, try Self.body(["width": 2, "height": 2, "pixels": [0, 0, 0]]), .badRequest, "3 pixels for 2 x 2"),
            ("/api/predict", .post, try Self.body(["width": 0, "height": 2, "pixels": []]), .badRequest, "1...1024"),
            ("/api/predict", .post, try Self.body(["width": 2000, "height": 1, "pixels": [Int](repeating: 0, count: 2000)]), .badRequest, "1...1024"),
            ("/api/predict", .post, try Self.body(["width": 1, "height": 1, "pixels": [300]]), .badRequest, "0...255"),
            ("/api/predict", .post, try Self.body(["width": 1, "height": 1, "pixels": [-1]]), .badRequest, "0...255"),
            ("/api/predict", .post, try Self.body(["width": "2", "height": 1, "pixels": [0, 0]]), .badRequest, "must be JSON"),
            ("/api/predict", .post, ByteBuffer(string: #"{"width": true, "height": 1, "pixels": [0]}"#), .badRequest, "must be JSON"),
            ("/api/predict", .post, ByteBuffer(string: #"{"width": 1, "height": 1, "pixels": [false]}"#), .badRequest, "integers in 0...255"),
            ("/api/predict", .post, ByteBuffer(string: #"{"width": 1, "height": 1, "pixels": [0.5]}"#), .badRequest, "integers in 0...255"),
            ("/api/predict", .post, try Self.body(blank), .unprocessableContent, "no ink"),
            ("/api/predict", .post, huge, .contentTooLarge, "over the 1048576 bytes"),
            ("/api/test/10000", .get, nil, .notFound, "no test digit 10000"),
            ("/api/test/-1", .get, nil, .notFound, "no test digit -1"),
            ("/api/test/abc", .get, nil, .badRequest, "whole number"),
            ("/api/nothing", .get, nil, .notFound, "no such route"),
        ]
        try await app.test(.router) { client in
            for (uri, method, body, status, text) in cases {
                try await client.execute(uri: uri, method: method, body: body) { response in
                    XCTAssertEqual(response.status, status, "\(uri): \(String(buffer: response.body))")
                    let message = try XCTUnwrap(try Self.json(response.body)["error"] as? String, uri)
                    XCTAssertTrue(message.contains(text), "\(uri): \(message)")
                }
            }
            // HEAD where GET is: the page and the health check.
            for uri in ["/", "/healthz"] {
                try await client.execute(uri: uri, method: .head) { response in
                    XCTAssertEqual(response.status, .ok, uri)
                    XCTAssertEqual(response.body.readableBytes, 0, "\(uri): no body for HEAD")
                }
            }
            // The server keeps answering after all that.
            try await client.execute(uri: "/healthz", method: .get) { XCTAssertEqual($0.status, .ok) }
        }
    }

    /// A reproduction folder gives its largest training set's physics pair; two run folders
    /// are told apart by their checkpoints' own kind (also when the folders' model files were swapped).
    func testModelChoice() throws {
        let base = try temporaryDirectory(self)
        XCTAssertNil(ServerModels.pair(in: base))
        XCTAssertThrowsError(try ServerModels.resolve([base], data: { try SharedMNIST.get() }, threads: 1, log: { _ in }))
        let s = try service()
        let (a, b) = try ServerModels.resolve([s.mlpnet.folder, s.statnet.folder], data: { try SharedMNIST.get() }, threads: 1, log: { _ in })
        XCTAssertEqual(a, s.statnet.folder)
        XCTAssertEqual(b, s.mlpnet.folder)
        XCTAssertThrowsError(try ServerModels.resolve([s.statnet.folder, s.statnet.folder], data: { try SharedMNIST.get() }, threads: 1, log: { _ in })) {
            XCTAssertTrue("\($0)".contains("same kind"), "\($0)")
        }
        // Two runs whose model files were swapped: the checkpoint, not the folder, says which is which.
        let (x, y) = ("\(base)/x", "\(base)/y")
        try FileManager.default.copyItem(atPath: s.statnet.folder, toPath: x)
        try FileManager.default.copyItem(atPath: s.mlpnet.folder, toPath: y)
        let model = RunFiles.model
        try FileManager.default.removeItem(atPath: "\(x)/\(model)")
        try FileManager.default.removeItem(atPath: "\(y)/\(model)")
        try FileManager.default.copyItem(atPath: "\(s.statnet.folder)/\(model)", toPath: "\(y)/\(model)")
        try FileManager.default.copyItem(atPath: "\(s.mlpnet.folder)/\(model)", toPath: "\(x)/\(model)")
        let (statnet, mlpnet) = try ServerModels.resolve([x, y], data: { try SharedMNIST.get() }, threads: 1, log: { _ in })
        XCTAssertEqual(statnet, y, "the folder that holds the StatNet checkpoint")
        XCTAssertEqual(mlpnet, x)
    }
}
