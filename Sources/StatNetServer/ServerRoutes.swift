import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import StatNet

/// The routes of `statnet serve`: the page, health, and the JSON API. Every error is a 4xx
/// (or 500) with `{"error": "..."}`; request bodies over 1 MiB get 413, a body that does not
/// arrive within `defaultBodyTimeout` 408; a request the HTTP parser refuses 400.
public enum ServerRoutes {
    public static let maximumBody = 1 << 20
    /// The longest a request body may take to arrive (a drawing is a few hundred kB).
    public static let defaultBodyTimeout: Duration = .seconds(10)
    /// Drawings up to 1024 x 1024 pixels.
    public static let maximumSide = 1_024

    /// `POST /api/predict`'s body: a grey image, row by row, 0 black to 255 white.
    public struct PredictRequest {
        public let width: Int
        public let height: Int
        public let pixels: [Int]

        /// Parsed with JSONSerialization: a drawing is tens of thousands of numbers, which
        /// Codable decodes one generic call at a time (measured: the larger part of a request).
        init(json: Data) throws {
            let shape = "the body must be JSON {\"width\": W, \"height\": H, \"pixels\": [W*H integers 0..255]}"
            guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
                  let width = Self.integer(object["width"]), let height = Self.integer(object["height"]), let pixels = object["pixels"] as? [Any]
            else { throw HTTPError(.badRequest, message: shape) }
            var values = [Int]()
            values.reserveCapacity(pixels.count)
            for p in pixels {
                guard let v = Self.integer(p) else { throw HTTPError(.badRequest, message: "pixels must be integers in 0...255") }
                values.append(v)
            }
            (self.width, self.height, self.pixels) = (width, height, values)
        }

        /// A JSON number with an integer value; not `true` or `false`, which JSONSerialization
        /// also gives as numbers (1 and 0), and not a string.
        static func integer(_ value: Any?) -> Int? {
            guard let number = value as? NSNumber, String(cString: number.objCType) != Self.booleanType else { return nil }
            return value as? Int
        }

        /// The type code of the numbers JSONSerialization makes of `true` and `false`.
        static let booleanType = String(cString: NSNumber(value: true).objCType)
    }

    /// - Parameters:
    ///   - bodyTimeout: the longest a request body may take to arrive (tests shorten it).
    public static func router(service: DigitService, bodyTimeout: Duration = defaultBodyTimeout) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.index_html)))
        }
        router.head("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .contentLength: "\(PackageResources.index_html.count)"])
        }
        router.get("/favicon.ico") { _, _ in HTTPResponse.Status.noContent }
        router.get("/healthz") { _, _ in try json(["status": "ok"]) }
        router.head("/healthz") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"]) }
        router.post("/api/predict") { request, _ in
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBody {
                throw HTTPError(.contentTooLarge, message: "the body is \(length) bytes, over the \(maximumBody) bytes accepted")
            }
            let body = try await withDeadline(bodyTimeout) { try await request.body.collect(upTo: maximumBody) }
            let input = try PredictRequest(json: Data(buffer: body))
            guard (1...maximumSide).contains(input.width), (1...maximumSide).contains(input.height) else {
                throw HTTPError(.badRequest, message: "width and height must be in 1...\(maximumSide) (got \(input.width) x \(input.height))")
            }
            guard input.pixels.count == input.width * input.height else {
                throw HTTPError(.badRequest, message: "\(input.pixels.count) pixels for \(input.width) x \(input.height) = \(input.width * input.height)")
            }
            guard input.pixels.allSatisfy({ (0...255).contains($0) }) else {
                throw HTTPError(.badRequest, message: "pixels must be integers in 0...255")
            }
            let image = GreyImage(width: input.width, height: input.height, pixels: input.pixels.map { UInt8($0) })
            do { return try json(service.analyse(image: image)) } catch let error as DataError where error.kind == .noInk {
                throw HTTPError(.unprocessableContent, message: "no ink found: the drawing is blank")
            }
        }
        router.get("/api/test/:index") { _, context in
            guard let index = context.parameters.get("index", as: Int.self) else {
                throw HTTPError(.badRequest, message: "the index must be a whole number")
            }
            guard service.test != nil else { throw HTTPError(.notFound, message: "MNIST's test set is not loaded (no --data)") }
            guard let analysis = try service.analyse(testIndex: index) else {
                throw HTTPError(.notFound, message: "no test digit \(index): indices are 0...\((service.test?.count ?? 1) - 1)")
            }
            return try json(analysis)
        }
        router.get("/api/disagreements") { _, _ in
            guard service.test != nil else { throw HTTPError(.notFound, message: "MNIST's test set is not loaded (no --data)") }
            return try json(["indices": try service.disagreements()])
        }
        router.get("/api/models") { _, _ in
            try json(["statnet": service.statnet.folder, "mlpnet": service.mlpnet.folder,
                      "statnetPreset": service.statnet.config.preset.rawValue, "mlpnetPreset": service.mlpnet.config.preset.rawValue])
        }
        return router
    }

    /// `work`, or a 408 when it takes longer than `limit` (a body that never ends, or stops short
    /// of its Content-Length, must not hold a connection for ever).
    static func withDeadline<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw HTTPError(.requestTimeout, message: "the request body did not arrive within \(limit)")
            }
            return value
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

/// Turns every error into `{"error": "..."}` with its status (404 for unknown routes, 413 for
/// a body over the limit, 500 for anything unexpected), so a client always gets JSON.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPParserError {
            throw error   // the server answers 400 and closes the connection
        } catch is NIOTooManyBytesError {
            return try ServerRoutes.json(["error": "the body is over the \(ServerRoutes.maximumBody) bytes accepted"], status: .contentTooLarge)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound ? "no such route: \(request.method) \(request.uri.path)" : error.status.reasonPhrase)
            return try ServerRoutes.json(["error": message], status: error.status)
        } catch {
            return try ServerRoutes.json(["error": "\(error)"], status: .internalServerError)
        }
    }
}
