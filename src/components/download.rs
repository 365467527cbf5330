//! Saving a generated file (CSV, SVG, PNG) from the browser, with no server round trip.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Offers `content` as a file named `filename`. Returns an error text if the browser refused.
pub fn download_text(filename: &str, mime: &str, content: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let result = click_link(filename, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}

/// Renders `svg` (with its `viewBox` size `width` × `height`) at twice that size to a PNG and
/// offers it as `filename`. The drawing happens when the image has loaded.
pub fn download_svg_as_png(
    filename: &str,
    svg: &str,
    width: u32,
    height: u32,
) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    // A fixed size and a white background: a PNG pasted into slides should not be transparent.
    // Charts scale to their container (`width="100%"`): a second width attribute would make the
    // SVG invalid and the image would never load.
    let sized = svg.replacen(r#" width="100%""#, "", 1).replacen(
        "<svg ",
        &format!(
            r#"<svg width="{}" height="{}" style="background:#fff" "#,
            width * 2,
            height * 2
        ),
        1,
    );
    let data_url = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&sized))
    );
    let image = web_sys::HtmlImageElement::new().map_err(|e| format!("{e:?}"))?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "no canvas")?;
    canvas.set_width(width * 2);
    canvas.set_height(height * 2);
    let name = filename.to_owned();
    let loaded = image.clone();
    let onload = Closure::once_into_js(move || {
        let drawn = (|| -> Result<(), String> {
            let context: web_sys::CanvasRenderingContext2d = canvas
                .get_context("2d")
                .map_err(|e| format!("{e:?}"))?
                .ok_or("no 2d context")?
                .dyn_into()
                .map_err(|_| "no 2d context")?;
            context.set_fill_style_str("#fff");
            context.fill_rect(0.0, 0.0, (width * 2) as f64, (height * 2) as f64);
            context
                .draw_image_with_html_image_element(&loaded, 0.0, 0.0)
                .map_err(|e| format!("{e:?}"))?;
            let png = canvas
                .to_data_url_with_type("image/png")
                .map_err(|e| format!("{e:?}"))?;
            click_link(&name, &png)
        })();
        if let Err(e) = drawn {
            web_sys::console::warn_1(&format!("PNG export failed: {e}").into());
        }
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&data_url);
    Ok(())
}

fn click_link(filename: &str, href: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "no anchor")?;
    link.set_href(href);
    link.set_download(filename);
    link.click();
    Ok(())
}
