//! A helper's photo as it is kept: whatever came in (a JPEG or a PNG of at most 5 MB) is decoded
//! with the `image` crate, turned upright as the camera recorded, cropped to its middle square,
//! made at most 512 pixels a side, and encoded afresh as a JPEG: none of the original's metadata
//! (where it was taken, the camera) is carried over, because nothing of it is copied.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The largest file taken.
pub const MOST_BYTES: usize = 5 * 1024 * 1024;
/// The side of the kept square, at most.
pub const SIDE: u32 = 512;

/// The photo as kept, or why it cannot be (for a 422 on `photo`).
pub fn prepare(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.len() > MOST_BYTES {
        return Err("must be at most 5 MB: a phone's photo is usually smaller; try another".into());
    }
    let format = image::guess_format(bytes)
        .ok()
        .filter(|f| matches!(f, ImageFormat::Jpeg | ImageFormat::Png))
        .ok_or("must be a photo in JPEG or PNG")?;
    let unreadable = |_| "could not be read as a photo: it may be damaged; try another".to_string();
    // JPEG decoders fill in what a cut-off file lacks: a whole one ends its last scan.
    if format == ImageFormat::Jpeg && !whole_jpeg(bytes) {
        return Err("could not be read as a photo: it is cut off; try sending it again".into());
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    img.apply_orientation(orientation);
    let side = img.width().min(img.height());
    if side == 0 {
        return Err("could not be read as a photo: it has no pixels".into());
    }
    let square = img.crop_imm(
        (img.width() - side) / 2,
        (img.height() - side) / 2,
        side,
        side,
    );
    let small = match side > SIDE {
        true => square.resize_exact(SIDE, SIDE, image::imageops::FilterType::Triangle),
        false => square,
    };
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&small.to_rgb8())
        .map_err(|e| format!("could not be kept: {e}"))?;
    Ok(out)
}

/// Whether the JPEG's last scan (`FF DA`, after any thumbnail inside its metadata) is followed
/// by the end of the image (`FF D9`): within a scan, `FF` is always escaped, so a cut-off file
/// has none.
fn whole_jpeg(bytes: &[u8]) -> bool {
    let Some(scan) = bytes.windows(2).rposition(|w| w == [0xff, 0xda]) else {
        return false;
    };
    bytes[scan..].windows(2).any(|w| w == [0xff, 0xd9])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_photo_is_made_square_and_small() {
        let kept = prepare(&png(1200, 800)).unwrap();
        assert_eq!(image::guess_format(&kept).unwrap(), ImageFormat::Jpeg);
        let back = image::load_from_memory(&kept).unwrap();
        assert_eq!((back.width(), back.height()), (SIDE, SIDE));
        let small = image::load_from_memory(&prepare(&png(300, 200)).unwrap()).unwrap();
        assert_eq!((small.width(), small.height()), (200, 200));
    }

    #[test]
    fn what_is_not_a_photo_is_refused_in_words() {
        assert!(prepare(b"hello, this is text")
            .unwrap_err()
            .contains("JPEG or PNG"));
        let whole = png(64, 64);
        let cut = &whole[..whole.len() / 2];
        assert!(prepare(cut).unwrap_err().contains("could not be read"));
        let big = vec![0u8; MOST_BYTES + 1];
        assert!(prepare(&big).unwrap_err().contains("5 MB"));
    }
}
