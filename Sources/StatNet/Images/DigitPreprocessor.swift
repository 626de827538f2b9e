/// Turns a person's image of a digit into an MNIST digit, the way MNIST's were made (LeCun et
/// al.: "the images were size normalized to fit in a 20x20 pixel box while preserving their
/// aspect ratio ... centered in a 28x28 image by computing the center of mass of the pixels").
/// A model trained on MNIST reads a digit only in that form: the same "7" off centre or
/// filling the canvas is read as another digit.
///
/// 1. Ink: MNIST has light ink on black. An image whose border is mostly light (dark ink on
///    paper, a drawing pad) is inverted.
/// 2. Background: the border's median plus three robust standard deviations (1.4826 times
///    its median absolute deviation) is paper or sensor noise; it becomes 0 and the ink above
///    it is stretched to 0...255. MNIST's own digits have a black border, so nothing changes
///    for them, nor for a clean drawing with strong ink.
/// 3. Crop to the bounding box of the ink.
/// 4. Scale the longer side to 20 pixels, the aspect ratio kept: area averaging when shrinking
///    (each output pixel the mean of the input area it covers, so thin strokes fade instead of
///    vanishing as nearest-neighbour would make them), bilinear when enlarging a tiny drawing.
///    A box whose longer side is already 20 is kept as it is.
/// 5. Place in 28x28 so that the centre of mass of the ink falls on (14, 14) in pixel indices,
///    rounded to whole pixels: in MNIST's own digits it lies within half a pixel of that point
///    (measured on the 10,000 test digits: x and y from 13.5 to 14.5, evenly spread).
public enum DigitPreprocessor {
    public static let side = MNISTSplit.side
    public static let boxSide = 20
    /// Where MNIST put the centre of mass, in pixel indices.
    public static let centre = Double(side / 2)
    /// Ink whose maximum is below this is stretched even without background noise.
    public static let faintInk = 230

    /// What preprocessing did, for `predict --show` and the page.
    public struct Steps: Sendable, Equatable {
        public let inverted: Bool
        /// Ink at or below this (0...255) was taken as background.
        public let threshold: Int
        /// The ink's bounding box in the input: x, y, width, height.
        public let box: (x: Int, y: Int, width: Int, height: Int)
        /// The size it was scaled to before placing.
        public let scaled: (width: Int, height: Int)
        /// Where the scaled box went in the 28x28 field (its top-left corner).
        public let offset: (x: Int, y: Int)

        public static func == (a: Steps, b: Steps) -> Bool {
            a.inverted == b.inverted && a.threshold == b.threshold && a.box == b.box && a.scaled == b.scaled && a.offset == b.offset
        }
    }

    /// The 784 pixels of an MNIST digit (light ink on black, row by row) made from `image`.
    /// Throws `DataError` `.noInk` (naming `path`) for a blank image.
    public static func mnistDigit(from image: GreyImage, path: String = "image") throws -> (pixels: [UInt8], steps: Steps) {
        // 1. Ink high, background low.
        let border = borderValues(image)
        let inverted = median(border) > 127
        var ink = inverted ? image.pixels.map { 255 - $0 } : image.pixels
        // 2. Background: median + 3 robust standard deviations of the border, then stretch.
        let borderInk = inverted ? border.map { 255 - $0 } : border
        let m = median(borderInk)
        let mad = median(borderInk.map { UInt8(abs(Int($0) - Int(m))) })
        let threshold = min(254, Int(m) + Int((3 * 1.4826 * Double(mad)).rounded(.up)))
        let top = Int(ink.max() ?? 0)
        guard top > threshold else { throw DataError(path, .noInk, "no ink found: the image is blank (or all background)") }
        if threshold > 0 || top < faintInk {
            let scale = 255 / Double(top - threshold)
            ink = ink.map { v in Int(v) <= threshold ? 0 : UInt8(min(255, (Double(Int(v) - threshold) * scale).rounded())) }
        }
        // 3. The ink's bounding box.
        var x0 = image.width, y0 = image.height, x1 = -1, y1 = -1
        for y in 0..<image.height {
            for x in 0..<image.width where ink[y * image.width + x] > 0 {
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
            }
        }
        let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1)
        var cropped = [Double](repeating: 0, count: bw * bh)
        for y in 0..<bh { for x in 0..<bw { cropped[y * bw + x] = Double(ink[(y0 + y) * image.width + x0 + x]) } }
        // 4. The longer side to 20 pixels.
        let long = max(bw, bh)
        let (sw, sh) = long == boxSide ? (bw, bh)
            : (max(1, Int((Double(bw) * Double(boxSide) / Double(long)).rounded())), max(1, Int((Double(bh) * Double(boxSide) / Double(long)).rounded())))
        let scaled = long == boxSide ? cropped
            : (long > boxSide ? areaAverage(cropped, width: bw, height: bh, toWidth: sw, toHeight: sh)
                              : bilinear(cropped, width: bw, height: bh, toWidth: sw, toHeight: sh))
        // 5. The centre of mass to the centre of the field.
        var mass = 0.0, mx = 0.0, my = 0.0
        for y in 0..<sh { for x in 0..<sw { let w = scaled[y * sw + x]; mass += w; mx += w * Double(x); my += w * Double(y) } }
        let ox = Int((centre - mx / mass).rounded()), oy = Int((centre - my / mass).rounded())
        var out = [UInt8](repeating: 0, count: side * side)
        for y in 0..<sh {
            for x in 0..<sw {
                let (tx, ty) = (x + ox, y + oy)
                guard (0..<side).contains(tx), (0..<side).contains(ty) else { continue }
                out[ty * side + tx] = UInt8(min(255, max(0, scaled[y * sw + x].rounded())))
            }
        }
        return (out, Steps(inverted: inverted, threshold: threshold, box: (x0, y0, bw, bh), scaled: (sw, sh), offset: (ox, oy)))
    }

    /// The pixels of the outermost rows and columns.
    static func borderValues(_ image: GreyImage) -> [UInt8] {
        var values: [UInt8] = []
        for x in 0..<image.width { values.append(image[x, 0]); if image.height > 1 { values.append(image[x, image.height - 1]) } }
        if image.height > 2 {
            for y in 1..<image.height - 1 { values.append(image[0, y]); if image.width > 1 { values.append(image[image.width - 1, y]) } }
        }
        return values
    }

    static func median(_ values: [UInt8]) -> UInt8 {
        guard !values.isEmpty else { return 0 }
        return values.sorted()[values.count / 2]
    }

    /// Each output pixel is the mean of the input area it covers (shrinking only).
    static func areaAverage(_ source: [Double], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Double] {
        let sx = Double(width) / Double(toWidth), sy = Double(height) / Double(toHeight)
        /// The overlap of input cells with [lo, hi), as (cell, fraction) pairs.
        func spans(_ lo: Double, _ hi: Double, limit: Int) -> [(Int, Double)] {
            var out: [(Int, Double)] = []
            var i = Int(lo.rounded(.down))
            while Double(i) < hi && i < limit {
                let overlap = min(hi, Double(i + 1)) - max(lo, Double(i))
                if overlap > 0 { out.append((i, overlap)) }
                i += 1
            }
            return out
        }
        var out = [Double](repeating: 0, count: toWidth * toHeight)
        for oy in 0..<toHeight {
            let rows = spans(Double(oy) * sy, Double(oy + 1) * sy, limit: height)
            for ox in 0..<toWidth {
                let columns = spans(Double(ox) * sx, Double(ox + 1) * sx, limit: width)
                var sum = 0.0, area = 0.0
                for (y, fy) in rows { for (x, fx) in columns { sum += source[y * width + x] * fx * fy; area += fx * fy } }
                out[oy * toWidth + ox] = area > 0 ? sum / area : 0
            }
        }
        return out
    }

    /// Bilinear interpolation between pixel centres (enlarging only).
    static func bilinear(_ source: [Double], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Double] {
        var out = [Double](repeating: 0, count: toWidth * toHeight)
        for oy in 0..<toHeight {
            let fy = min(max((Double(oy) + 0.5) * Double(height) / Double(toHeight) - 0.5, 0), Double(height - 1))
            let y = min(Int(fy), height - 1), y2 = min(y + 1, height - 1), ty = fy - Double(y)
            for ox in 0..<toWidth {
                let fx = min(max((Double(ox) + 0.5) * Double(width) / Double(toWidth) - 0.5, 0), Double(width - 1))
                let x = min(Int(fx), width - 1), x2 = min(x + 1, width - 1), tx = fx - Double(x)
                let top = source[y * width + x] * (1 - tx) + source[y * width + x2] * tx
                let bottom = source[y2 * width + x] * (1 - tx) + source[y2 * width + x2] * tx
                out[oy * toWidth + ox] = top * (1 - ty) + bottom * ty
            }
        }
        return out
    }
}
