//! Attaching documents to organizations and products, and handing them out again — only to
//! those who may see the record.

use super::require_edit;
use crate::error::{not_found, unprocessable, Problem};
use crate::files::{Area, FileStore};
use crate::users::Requester;
use axum::extract::Multipart;
use ocop_domain::documents::{
    clean_file_name, sniff, BadDocument, DocumentOwner, DocumentPurpose, MAX_DOCUMENT_BYTES,
};
use ocop_store::{Document, NewDocument, OwnerKind, Store};
use std::collections::HashMap;

/// A multipart form: its text fields and at most one file.
#[derive(Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Option<(String, Vec<u8>)>,
}

/// Reads a multipart body, refusing a file over the limit as soon as it is seen to be.
pub async fn read_upload(mut form: Multipart) -> Result<Upload, Problem> {
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return too_large(MAX_DOCUMENT_BYTES + 1);
        }
        unprocessable(
            "file",
            "bad_upload",
            format!("the upload could not be read: {}", e.body_text()),
        )
    };
    let mut upload = Upload::default();
    while let Some(mut field) = form.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or("").to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                if bytes.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                    // 413 like the body limit: which of the two sees the excess first depends
                    // on how the bytes arrive, and the answer must not.
                    return Err(too_large(bytes.len() + chunk.len()));
                }
                bytes.extend_from_slice(&chunk);
            }
            upload.file = Some((file_name, bytes));
        } else if name.len() <= 64 {
            let text = field.text().await.map_err(broken)?;
            upload
                .fields
                .insert(name, text.chars().take(1000).collect());
        }
    }
    Ok(upload)
}

fn too_large(bytes: usize) -> Problem {
    Problem::new(
        axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
        BadDocument::TooLarge(bytes).to_string(),
    )
    .with_field("file")
}

fn bad_document(e: BadDocument) -> Problem {
    let code = match e {
        BadDocument::Empty => "file_empty",
        BadDocument::TooLarge(_) => "file_too_large",
        BadDocument::UnsupportedType => "file_type",
    };
    unprocessable("file", code, e.to_string())
}

fn owner_kind(owner: DocumentOwner) -> OwnerKind {
    match owner {
        DocumentOwner::Organization => OwnerKind::Organization,
        DocumentOwner::Product => OwnerKind::Product,
    }
}

/// The province of the record, after checking the requester may see it.
async fn reach_owner(
    store: &dyn Store,
    by: Requester<'_>,
    owner: DocumentOwner,
    id: i64,
) -> Result<String, Problem> {
    Ok(match owner {
        DocumentOwner::Organization => {
            super::organizations::visible(store, by, id)
                .await?
                .province_code
        }
        DocumentOwner::Product => super::products::visible(store, by, id).await?.province_code,
    })
}

/// An uploaded file checked and stored on disk: what its record holds.
pub struct KeptFile {
    pub file_name: String,
    pub content_type: &'static str,
    pub size_bytes: i64,
    pub sha256: String,
}

/// Checks the form's file (present, an accepted type by its bytes) and stores it under its
/// SHA-256: one path for documents and a dossier's evidence.
pub async fn keep_file(
    files: &FileStore,
    file: Option<(String, Vec<u8>)>,
) -> Result<KeptFile, Problem> {
    let (file_name, bytes) = file.ok_or_else(|| {
        unprocessable(
            "file",
            "file_empty",
            "choose a file to upload (field `file`)",
        )
    })?;
    let content_type = sniff(&bytes).map_err(bad_document)?;
    let size_bytes = bytes.len() as i64;
    let sha256 = files.put(Area::Documents, bytes).await.map_err(|e| {
        tracing::error!(error = %e, "cannot store an uploaded file");
        crate::error::internal()
    })?;
    Ok(KeptFile {
        file_name: clean_file_name(&file_name),
        content_type,
        size_bytes,
        sha256,
    })
}

pub async fn attach(
    store: &dyn Store,
    files: &FileStore,
    by: Requester<'_>,
    owner: DocumentOwner,
    owner_id: i64,
    upload: Upload,
) -> Result<Document, Problem> {
    let province = reach_owner(store, by, owner, owner_id).await?;
    require_edit(by)?;
    let purpose: DocumentPurpose = upload
        .fields
        .get("purpose")
        .map(String::as_str)
        .unwrap_or("other")
        .parse()
        .map_err(|e: ocop_domain::documents::UnknownPurpose| {
            unprocessable("purpose", "invalid_purpose", e.to_string())
        })?;
    if !purpose.fits(owner) {
        return Err(unprocessable(
            "purpose",
            "invalid_purpose",
            format!("a {purpose} document does not belong here"),
        ));
    }
    let kept = keep_file(files, upload.file).await?;
    let new = NewDocument {
        owner_kind: owner_kind(owner),
        owner_id,
        purpose: purpose.as_str().to_string(),
        file_name: kept.file_name,
        content_type: kept.content_type.to_string(),
        size_bytes: kept.size_bytes,
        sha256: kept.sha256,
        created_by: match by {
            Requester::Actor(a, _) => Some(a.user_id),
            Requester::Operator => None,
        },
    };
    let audit = by.audit(
        "document_added",
        province.parse().ok().as_ref(),
        serde_json::json!({"owner": owner_kind(owner), "owner_id": owner_id, "purpose": new.purpose, "file_name": new.file_name, "sha256": new.sha256}),
    );
    Ok(store.add_document(&new, &audit).await?)
}

pub async fn list(
    store: &dyn Store,
    by: Requester<'_>,
    owner: DocumentOwner,
    owner_id: i64,
) -> Result<Vec<Document>, Problem> {
    reach_owner(store, by, owner, owner_id).await?;
    Ok(store.documents(owner_kind(owner), owner_id).await?)
}

/// A document and its bytes, if the requester may see the record it belongs to.
pub async fn fetch(
    store: &dyn Store,
    files: &FileStore,
    by: Requester<'_>,
    id: i64,
) -> Result<(Document, Vec<u8>), Problem> {
    let doc = store
        .document(id)
        .await?
        .ok_or_else(|| not_found("document"))?;
    let owner = match doc.owner_kind {
        OwnerKind::Organization => DocumentOwner::Organization,
        OwnerKind::Product => DocumentOwner::Product,
    };
    reach_owner(store, by, owner, doc.owner_id)
        .await
        .map_err(|p| {
            if p.status == 404 {
                not_found("document")
            } else {
                p
            }
        })?;
    let bytes = files.get(Area::Documents, &doc.sha256).await.map_err(|e| {
        tracing::error!(error = %e, document = doc.id, "a stored document is missing from the data directory");
        crate::error::internal()
    })?;
    Ok((doc, bytes))
}

/// The response for a download: the sniffed type, a safe file name, and a sandbox so that even
/// a crafted PDF cannot act on this site.
pub fn download(doc: &Document, bytes: Vec<u8>) -> axum::response::Response {
    download_file(&doc.file_name, &doc.content_type, bytes)
}

/// [`download`] for any stored file (a dossier's evidence, too).
pub fn download_file(
    file_name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let encoded: String = url::form_urlencoded::byte_serialize(file_name.as_bytes()).collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename*=UTF-8''{}", encoded.replace('+', "%20")),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src 'self'; sandbox".to_string(),
            ),
            (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
        ],
        bytes,
    )
        .into_response()
}
