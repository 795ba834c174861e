//! Vietnamese (the default) and English texts for the web UI.
//!
//! Templates call `tr.t("key")`. A unit test checks that every key a template uses exists.

use crate::auth::session::{read_cookie, LANG_COOKIE};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn from_headers(headers: &HeaderMap) -> Lang {
        read_cookie(headers, LANG_COOKIE)
            .and_then(|c| Lang::parse(&c))
            .unwrap_or_default()
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_headers(&parts.headers))
    }
}

/// The translator handed to templates.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> &'static str {
        match TABLE.get(key) {
            Some((vi, en)) => match self.0 {
                Lang::Vi => vi,
                Lang::En => en,
            },
            None => {
                tracing::warn!(key, "missing translation");
                "?"
            }
        }
    }

    /// The text for a key that may have none yet (values other parts add later), without the
    /// warning `t` logs.
    pub fn get(&self, key: &str) -> Option<&'static str> {
        TABLE.get(key).map(|(vi, en)| match self.0 {
            Lang::Vi => *vi,
            Lang::En => *en,
        })
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }

    pub fn role(&self, role: &ocop_domain::Role) -> &'static str {
        self.t(&format!("role.{}", role.as_str()))
    }

    /// The translated message for a problem code, falling back to the generic one.
    pub fn problem(&self, code: &str) -> &'static str {
        let key = format!("problem.{code}");
        if TABLE.contains_key(key.as_str()) {
            self.t(&key)
        } else {
            self.t("problem.generic")
        }
    }
}

static TABLE: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> =
    LazyLock::new(|| all_texts().map(|(k, vi, en)| (*k, (*vi, *en))).collect());

/// Every part's texts: the frame and registry here, the evaluation's in their own files.
fn all_texts() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    TEXTS
        .iter()
        .chain(crate::i18n_dossiers::TEXTS)
        .chain(crate::i18n_cycles::TEXTS)
}

/// (key, Vietnamese, English)
const TEXTS: &[(&str, &str, &str)] = &[
    ("app.name", "OCOP – Mỗi xã một sản phẩm", "OCOP – One Commune One Product"),
    ("app.tagline", "Quản lý chương trình OCOP và tem truy xuất thông minh", "OCOP programme management and smart traceability stamps"),
    ("nav.home", "Trang chủ", "Home"),
    ("nav.users", "Người dùng", "Users"),
    ("nav.audit", "Nhật ký thay đổi", "Audit log"),
    ("nav.account", "Tài khoản", "Account"),
    ("nav.sign_in", "Đăng nhập", "Sign in"),
    ("nav.sign_out", "Đăng xuất", "Sign out"),
    ("nav.switch_lang", "English", "Tiếng Việt"),
    ("sign_in.title", "Đăng nhập", "Sign in"),
    ("sign_in.email", "Thư điện tử", "E-mail"),
    ("sign_in.password", "Mật khẩu", "Password"),
    ("sign_in.submit", "Đăng nhập", "Sign in"),
    ("sign_in.failed", "Thư điện tử hoặc mật khẩu không đúng.", "The e-mail or password is wrong."),
    ("sign_in.signed_out", "Bạn đã đăng xuất.", "You have signed out."),
    ("home.welcome", "Xin chào", "Welcome"),
    ("home.your_role", "Vai trò của bạn", "Your role"),
    ("home.your_scope", "Phạm vi", "Scope"),
    ("home.nationwide", "Toàn quốc", "Nation-wide"),
    ("home.public", "Chào mừng đến với hệ thống OCOP. Cán bộ, hội đồng và chủ thể vui lòng đăng nhập.", "Welcome to the OCOP system. Officers, council members and producers, please sign in."),
    ("home.tasks", "Việc của bạn", "Your work"),
    ("home.central", "Điều phối toàn quốc: theo dõi các tỉnh, công nhận sản phẩm 5 sao.", "National coordination: follow the provinces, recognize 5-star products."),
    ("home.admin", "Văn phòng OCOP tỉnh: chu kỳ, hội đồng, chứng nhận, chỉ tiêu và người dùng của tỉnh.", "Provincial OCOP office: cycles, councils, certificates, targets and the province's users."),
    ("home.officer", "Cán bộ xã: chủ thể và sản phẩm của xã, phần xã trong hồ sơ.", "Commune officer: the commune's producers and products, the commune's part of dossiers."),
    ("home.evaluator", "Thành viên hội đồng: các phiếu chấm điểm được giao cho bạn.", "Council member: the score sheets assigned to you."),
    ("home.producer", "Chủ thể OCOP: tổ chức, sản phẩm, lô hàng, tem và nhật ký sản xuất của bạn.", "OCOP producer: your organization, products, lots, stamps and production diary."),
    ("home.inspector", "Quản lý thị trường: cảnh báo, phản ánh hàng giả và thu hồi.", "Market surveillance: alerts, counterfeit reports and recalls."),
    ("home.manage_users", "Quản lý người dùng", "Manage users"),
    ("home.view_audit", "Xem nhật ký thay đổi", "View the audit log"),
    ("role.central", "Trung ương", "Central"),
    ("role.admin", "Quản trị tỉnh", "Provincial admin"),
    ("role.officer", "Cán bộ xã", "Commune officer"),
    ("role.evaluator", "Thành viên hội đồng", "Council member"),
    ("role.producer", "Chủ thể sản xuất", "Producer"),
    ("role.inspector", "Quản lý thị trường", "Market inspector"),
    ("users.title", "Người dùng", "Users"),
    ("users.new", "Thêm người dùng", "Add a user"),
    ("users.edit", "Sửa người dùng", "Edit user"),
    ("users.email", "Thư điện tử", "E-mail"),
    ("users.name", "Họ và tên", "Full name"),
    ("users.role", "Vai trò", "Role"),
    ("users.locality", "Mã địa bàn (tỉnh 2 số, xã 5 số)", "Locality code (province 2 digits, commune 5)"),
    ("users.organization", "Tổ chức kinh tế (chủ thể)", "Economic organization (producers)"),
    ("users.none", "— không —", "— none —"),
    ("users.password", "Mật khẩu (ít nhất 10 ký tự)", "Password (at least 10 characters)"),
    ("users.status", "Trạng thái", "Status"),
    ("users.active", "Đang hoạt động", "Active"),
    ("users.disabled", "Đã khóa", "Disabled"),
    ("users.disable", "Khóa tài khoản", "Disable the account"),
    ("users.save", "Lưu", "Save"),
    ("users.create", "Tạo người dùng", "Create user"),
    ("users.reset_password", "Đặt lại mật khẩu", "Reset password"),
    ("users.reset_hint", "Tạo mật khẩu tạm thời mới; mọi phiên đăng nhập của người này sẽ kết thúc.", "Creates a new temporary password; all of this person's sessions end."),
    ("users.temporary_password", "Mật khẩu tạm thời (chỉ hiện một lần, hãy gửi cho người dùng):", "Temporary password (shown once, give it to the user):"),
    ("users.created", "Đã tạo người dùng.", "User created."),
    ("users.saved", "Đã lưu thay đổi.", "Changes saved."),
    ("users.empty", "Chưa có người dùng nào.", "No users yet."),
    ("users.locality_col", "Địa bàn", "Locality"),
    ("account.title", "Tài khoản của bạn", "Your account"),
    ("account.change_password", "Đổi mật khẩu", "Change password"),
    ("account.current_password", "Mật khẩu hiện tại", "Current password"),
    ("account.new_password", "Mật khẩu mới (ít nhất 10 ký tự)", "New password (at least 10 characters)"),
    ("account.password_changed", "Đã đổi mật khẩu. Vui lòng đăng nhập lại.", "Password changed. Please sign in again."),
    ("audit.title", "Nhật ký thay đổi", "Audit log"),
    ("audit.when", "Thời điểm (UTC)", "When (UTC)"),
    ("audit.who", "Người thực hiện", "Who"),
    ("audit.action", "Thao tác", "Action"),
    ("audit.target", "Đối tượng", "Record"),
    ("audit.details", "Chi tiết", "Details"),
    ("audit.older", "Cũ hơn →", "Older →"),
    ("audit.empty", "Chưa có thay đổi nào.", "Nothing has changed yet."),
    ("nav.registry", "Sổ đăng ký", "Register"),
    ("nav.organizations", "Tổ chức kinh tế", "Organizations"),
    ("nav.products", "Sản phẩm", "Products"),
    ("home.organizations", "Sổ đăng ký tổ chức kinh tế", "Register of economic organizations"),
    ("home.products", "Sổ đăng ký sản phẩm", "Register of products"),
    ("registry.search", "Tìm theo tên", "Search by name"),
    ("registry.search_hint", "Có dấu hoặc không dấu, ví dụ: ca phe", "With or without diacritics, e.g. ca phe"),
    ("registry.search_submit", "Tìm", "Search"),
    ("registry.filters", "Bộ lọc", "Filters"),
    ("registry.apply_filters", "Lọc", "Apply filters"),
    ("registry.all", "— tất cả —", "— all —"),
    ("registry.none", "— không —", "— none —"),
    ("registry.choose", "— chọn —", "— choose —"),
    ("registry.total", "Tổng số", "Total"),
    ("registry.showing", "đang xem", "showing"),
    ("registry.pages", "Trang", "Pages"),
    ("registry.previous", "← Trang trước", "← Previous"),
    ("registry.next", "Trang sau →", "Next →"),
    ("registry.export_xlsx", "Xuất Excel", "Export to Excel"),
    ("registry.export_csv", "Xuất CSV", "Export to CSV"),
    ("registry.import", "Nhập từ Excel", "Import from Excel"),
    ("registry.empty", "Không tìm thấy kết quả nào.", "Nothing found."),
    ("registry.commune", "Xã, phường", "Commune"),
    ("registry.edit", "Sửa thông tin", "Edit"),
    ("registry.save", "Lưu", "Save"),
    ("registry.saved", "Đã lưu.", "Saved."),
    ("registry.required_hint", "Các trường có dấu * là bắt buộc.", "Fields marked * are required."),
    ("registry.created_at", "Ngày đăng ký", "Registered on"),
    ("orgs.title", "Tổ chức kinh tế", "Economic organizations"),
    ("orgs.new", "Đăng ký tổ chức kinh tế", "Register an organization"),
    ("orgs.create", "Đăng ký", "Register"),
    ("org.name", "Tên tổ chức", "Name"),
    ("org.kind", "Loại hình", "Kind"),
    ("org.tax_code", "Mã số thuế", "Tax code"),
    ("org.address", "Địa chỉ", "Address"),
    ("org.representative", "Người đại diện", "Representative"),
    ("org.phone", "Điện thoại", "Phone"),
    ("org.email", "Thư điện tử", "E-mail"),
    ("org.gln", "Mã địa điểm toàn cầu (GLN)", "Global Location Number (GLN)"),
    ("org.food_safety_signed_on", "Ngày ký cam kết an toàn thực phẩm", "Food-safety commitment signed on"),
    ("org.products", "Sản phẩm của tổ chức", "Its products"),
    ("org.no_products", "Chưa có sản phẩm nào.", "No products yet."),
    ("kind.enterprise", "Doanh nghiệp", "Enterprise"),
    ("kind.cooperative", "Hợp tác xã", "Cooperative"),
    ("kind.cooperative_group", "Tổ hợp tác", "Cooperative group"),
    ("kind.household", "Hộ kinh doanh", "Household business"),
    ("kind.farm", "Trang trại", "Farm"),
    ("products.title", "Sản phẩm", "Products"),
    ("products.new", "Đăng ký sản phẩm", "Register a product"),
    ("products.create", "Đăng ký", "Register"),
    ("products.code_hint", "Mã sản phẩm (tỉnh-xã-số thứ tự-năm) được cấp tự động khi đăng ký.", "The product code (province-commune-number-year) is assigned on registration."),
    ("product.code", "Mã sản phẩm", "Product code"),
    ("product.name", "Tên sản phẩm", "Product name"),
    ("product.organization", "Chủ thể (tổ chức kinh tế)", "Producer (organization)"),
    ("product.criteria_set", "Bộ tiêu chí đánh giá", "Criteria set"),
    ("product.group", "Nhóm sản phẩm", "Product group"),
    ("product.description", "Mô tả", "Description"),
    ("product.gtin", "Mã số mã vạch (GTIN)", "Barcode number (GTIN)"),
    ("product.standard_code", "Tiêu chuẩn công bố áp dụng", "Declared standard"),
    ("product.standard_declared_on", "Ngày công bố tiêu chuẩn", "Standard declared on"),
    ("product.food_safety_certificate", "Số giấy chứng nhận an toàn thực phẩm", "Food-safety certificate number"),
    ("product.food_safety_expires_on", "Giấy chứng nhận ATTP hết hạn ngày", "Food-safety certificate expires on"),
    ("product.key_level", "Sản phẩm chủ lực", "Key product"),
    ("product.status", "Trạng thái", "Status"),
    ("status.draft", "Nháp", "Draft"),
    ("status.active", "Đang hoạt động", "Active"),
    ("status.suspended", "Tạm dừng", "Suspended"),
    ("status.discontinued", "Ngừng sản xuất", "Discontinued"),
    ("key_level.commune", "Cấp xã", "Commune level"),
    ("key_level.province", "Cấp tỉnh", "Province level"),
    ("key_level.national", "Cấp quốc gia", "National level"),
    ("docs.title", "Tài liệu", "Documents"),
    ("docs.empty", "Chưa có tài liệu nào.", "No documents yet."),
    ("docs.purpose", "Loại tài liệu", "Kind of document"),
    ("docs.file", "Tệp (PDF, JPEG, PNG hoặc WebP)", "File (PDF, JPEG, PNG or WebP)"),
    ("docs.upload", "Tải lên", "Upload"),
    ("docs.uploaded", "Đã tải tệp lên.", "File uploaded."),
    ("purpose.food_safety_commitment", "Bản cam kết an toàn thực phẩm", "Food-safety commitment"),
    ("purpose.photo", "Ảnh", "Photo"),
    ("purpose.standard", "Hồ sơ công bố tiêu chuẩn", "Standard declaration"),
    ("purpose.food_safety_certificate", "Giấy chứng nhận ATTP", "Food-safety certificate"),
    ("purpose.other", "Khác", "Other"),
    ("error.title", "Không thực hiện được", "That did not work"),
    ("error.back", "Quay lại trang chủ", "Back to the home page"),
    ("problem.generic", "Yêu cầu không hợp lệ.", "The request is not valid."),
    ("problem.unauthorized", "Vui lòng đăng nhập.", "Please sign in."),
    ("problem.forbidden", "Bạn không có quyền thực hiện thao tác này.", "You are not allowed to do this."),
    ("problem.not_found", "Không tìm thấy trang hoặc bản ghi này.", "This page or record does not exist."),
    ("problem.csrf_failed", "Biểu mẫu đã hết hạn hoặc không đến từ trang này. Hãy tải lại trang và thử lại.", "This form has expired or did not come from this site. Reload the page and try again."),
    ("problem.rate_limited", "Bạn đã thử quá nhiều lần. Vui lòng chờ một phút rồi thử lại.", "Too many attempts. Please wait a minute and try again."),
    ("problem.email_taken", "Thư điện tử này đã được dùng cho một người dùng khác.", "This e-mail already belongs to another user."),
    ("problem.invalid_email", "Thư điện tử không hợp lệ (ví dụ: ten@quangninh.gov.vn).", "The e-mail is not valid (e.g. name@quangninh.gov.vn)."),
    ("problem.invalid_name", "Tên không được để trống, phải viết trên một dòng, tối đa 200 ký tự với họ tên người và 300 ký tự với tên tổ chức, sản phẩm.", "The name must not be empty, must fit on one line, and may have at most 200 characters for a person, 300 for an organization or product."),
    ("problem.weak_password", "Mật khẩu phải có từ 10 đến 256 ký tự.", "The password must have 10 to 256 characters."),
    ("problem.unknown_role", "Vai trò không hợp lệ.", "Unknown role."),
    ("problem.invalid_locality", "Mã địa bàn không hợp lệ: tỉnh 2 số (ví dụ 22), xã 5 số (ví dụ 07093).", "Invalid locality code: province 2 digits (e.g. 22), commune 5 digits (e.g. 07093)."),
    ("problem.unknown_locality", "Không có địa bàn với mã này.", "There is no locality with this code."),
    ("problem.unknown_organization", "Không có tổ chức kinh tế với mã này.", "There is no economic organization with this id."),
    ("problem.invalid_scope", "Vai trò và địa bàn không khớp: quản trị và thành viên hội đồng cần mã tỉnh, cán bộ xã cần mã xã, chủ thể cần tổ chức, trung ương để trống.", "Role and scope do not fit: admins and council members need a province, officers a commune, producers an organization, central nothing."),
    ("problem.wrong_password", "Mật khẩu hiện tại không đúng.", "The current password is wrong."),
    ("problem.cannot_disable_self", "Bạn không thể tự khóa hoặc hạ quyền tài khoản của mình.", "You cannot disable or demote your own account."),
    ("problem.required", "Vui lòng điền đầy đủ các trường bắt buộc (có dấu *).", "Please fill in the required fields (marked *)."),
    ("problem.invalid_kind", "Loại hình tổ chức không hợp lệ: chọn Doanh nghiệp, Hợp tác xã, Tổ hợp tác, Hộ kinh doanh hoặc Trang trại.", "Unknown kind of organization: choose enterprise, cooperative, cooperative group, household business or farm."),
    ("problem.invalid_tax_code", "Mã số thuế không hợp lệ: 10 chữ số (ví dụ 5700100256), thêm gạch nối và 3 chữ số cho chi nhánh (5700100256-001), hoặc số định danh cá nhân 12 chữ số của hộ kinh doanh.", "The tax code is not valid: 10 digits (e.g. 5700100256), plus a hyphen and 3 digits for a branch (5700100256-001), or a household's 12-digit personal number."),
    ("problem.invalid_phone", "Số điện thoại không hợp lệ: bắt đầu bằng 0 hoặc +84, ví dụ 0912 345 678 hoặc 0203 3845 678.", "The phone number is not valid: start with 0 or +84, e.g. 0912 345 678 or 0203 3845 678."),
    ("problem.invalid_gln", "Mã địa điểm toàn cầu (GLN) không hợp lệ: cần đúng 13 chữ số với số kiểm tra đúng.", "The Global Location Number (GLN) is not valid: it has exactly 13 digits with a correct check digit."),
    ("problem.invalid_date", "Ngày không hợp lệ: chọn ngày trên lịch hoặc viết theo dạng 31/03/2026.", "The date is not valid: pick it in the calendar or write it as 31/03/2026."),
    ("problem.invalid_gtin", "Mã số mã vạch (GTIN) không hợp lệ: cần 8, 12, 13 hoặc 14 chữ số với số kiểm tra đúng.", "The barcode number (GTIN) is not valid: it has 8, 12, 13 or 14 digits with a correct check digit."),
    ("problem.invalid_criteria_set", "Bộ tiêu chí không hợp lệ: chọn một bộ từ 1 đến 26.", "Unknown criteria set: choose one from 1 to 26."),
    ("problem.invalid_standard", "Tiêu chuẩn công bố không hợp lệ: ghi loại và số hiệu, ví dụ TCCS 01:2026/HTX hoặc TCVN 7968:2008.", "The declared standard is not valid: write its kind and number, e.g. TCCS 01:2026/HTX or TCVN 7968:2008."),
    ("problem.invalid_status", "Trạng thái sản phẩm không hợp lệ: Nháp, Đang hoạt động, Tạm dừng hoặc Ngừng sản xuất.", "Unknown product status: draft, active, suspended or discontinued."),
    ("problem.invalid_key_level", "Cấp sản phẩm chủ lực không hợp lệ: cấp xã, cấp tỉnh hoặc cấp quốc gia.", "Unknown key-product level: commune, province or national."),
    ("problem.invalid_group", "Nhóm sản phẩm không hợp lệ: chọn một nhóm trong danh sách.", "Unknown product group: choose one from the list."),
    ("problem.tax_code_taken", "Đã có tổ chức kinh tế đăng ký với mã số thuế này.", "An organization with this tax code is already registered."),
    ("problem.gtin_taken", "Mã số mã vạch (GTIN) này đã được dùng cho một sản phẩm khác.", "Another product already carries this barcode number (GTIN)."),
    ("problem.unknown_field", "Có trường dữ liệu không thuộc bản ghi này.", "A field does not belong to this record."),
    ("problem.too_long", "Nội dung quá dài: hãy rút gọn.", "The text is too long: please shorten it."),
    ("problem.internal", "Có lỗi phía máy chủ; lỗi đã được ghi lại.", "Something went wrong on our side; it has been logged."),
    // imports, documents and the catalog
    ("import.title", "Nhập dữ liệu từ Excel", "Import from Excel"),
    ("import.upload", "Tải lên tệp Excel", "Upload an Excel file"),
    ("import.how", "Tải tệp mẫu, điền mỗi dòng một tổ chức hoặc sản phẩm, rồi tải lên để kiểm tra. Chỉ khi mọi dòng đều đúng, toàn bộ mới được nhập.", "Download the template, fill one organization or product per row, then upload it to check. Only when every row is right is the whole sheet imported."),
    ("import.templates", "Tệp mẫu", "Templates"),
    ("import.organizations", "Tổ chức kinh tế", "Economic organizations"),
    ("import.products", "Sản phẩm", "Products"),
    ("import.kind", "Loại dữ liệu", "What the sheet holds"),
    ("import.file", "Tệp Excel (.xlsx)", "Excel file (.xlsx)"),
    ("import.check", "Kiểm tra", "Check"),
    ("import.rows_read", "Số dòng dữ liệu đã đọc", "Data rows read"),
    ("import.ready", "Mọi dòng đều hợp lệ. Bấm nút dưới đây để nhập.", "Every row is valid. Press the button below to import."),
    ("import.commit", "Nhập toàn bộ", "Import all"),
    ("import.has_errors", "Chưa nhập gì. Số dòng có lỗi cần sửa:", "Nothing was imported. Rows with errors to fix:"),
    ("import.row", "Dòng", "Row"),
    ("import.column", "Cột", "Column"),
    ("import.problem", "Lỗi", "Problem"),
    ("import.done", "Đã nhập xong. Số bản ghi mới:", "Imported. New records:"),
    ("import.see_list", "Xem danh sách", "See the list"),
    ("problem.import_rejected", "Tệp có dòng lỗi nên chưa nhập gì.", "The sheet has bad rows, so nothing was imported."),
    ("problem.duplicate_in_sheet", "Giá trị này đã có ở một dòng khác trong tệp.", "This value is also on another row of the sheet."),
    ("problem.empty_sheet", "Tệp chỉ có dòng tiêu đề, chưa có dữ liệu.", "The sheet has a header row but no data."),
    ("problem.sheet_not_xlsx", "Tệp không phải Excel .xlsx: hãy lưu lại bằng Tệp > Lưu thành > Excel Workbook (.xlsx).", "The file is not an Excel .xlsx: save it with File > Save As > Excel Workbook (.xlsx)."),
    ("problem.sheet_no_header_row", "Không tìm thấy dòng tiêu đề: hãy dùng tệp mẫu.", "No header row found: use the template."),
    ("problem.sheet_missing_columns", "Tệp thiếu cột bắt buộc: hãy dùng tệp mẫu.", "A required column is missing: use the template."),
    ("problem.sheet_too_many_rows", "Tệp có quá nhiều dòng: hãy chia thành nhiều tệp.", "The sheet has too many rows: split it into several files."),
    ("problem.file_type", "Chỉ nhận tệp PDF, JPEG, PNG hoặc WebP.", "Only PDF, JPEG, PNG or WebP files are accepted."),
    ("problem.file_too_large", "Tệp quá lớn: tối đa 10 MB.", "The file is too large: at most 10 MB."),
    ("problem.file_empty", "Chưa chọn tệp hoặc tệp rỗng.", "No file was chosen, or it is empty."),
    ("problem.invalid_purpose", "Loại tài liệu không phù hợp.", "This kind of document does not belong here."),
    ("problem.bad_upload", "Không đọc được tệp tải lên.", "The upload could not be read."),
    ("problem.sheet_empty_file", "Tệp rỗng.", "The file is empty."),
    ("problem.sheet_encrypted", "Tệp có mật khẩu: hãy bỏ mật khẩu rồi tải lên lại.", "The file is password-protected: remove the password and upload again."),
    ("problem.sheet_damaged", "Tệp bị hỏng, không đọc được.", "The file is damaged and cannot be read."),
    ("problem.sheet_no_worksheet", "Tệp không có trang tính nào.", "The workbook has no worksheet."),
    ("problem.sheet_too_large", "Tệp giải nén ra quá lớn so với một danh sách chủ thể hay sản phẩm: hãy chép dữ liệu sang tệp mẫu (hoặc một tệp Excel mới), lưu lại rồi tải lên tệp đó.", "The file unpacks to far more than a list of producers or products: copy the data into the template (or a new workbook), save it and upload that file."),
    ("problem.sheet_duplicate_column", "Tệp có hai cột trùng tên.", "Two columns have the same header."),
    ("problem.invalid_format", "Định dạng xuất không hợp lệ.", "Unknown export format."),
    ("catalog.title", "Sản phẩm OCOP", "OCOP products"),
    ("catalog.search", "Tìm sản phẩm", "Find a product"),
    ("catalog.placeholder", "ví dụ: nuoc mam, che, ca phe", "e.g. nuoc mam, che, ca phe"),
    ("catalog.certified_only", "Chỉ sản phẩm có chứng nhận OCOP còn hiệu lực", "Only products with a valid OCOP certificate"),
    ("catalog.search_button", "Tìm", "Search"),
    ("catalog.found", "sản phẩm", "products"),
    ("catalog.stars", "sao", "stars"),
    ("catalog.stars_filter", "Hạng sao (chứng nhận còn hiệu lực)", "Stars (valid certificate)"),
    ("catalog.previous", "Trang trước", "Previous"),
    ("catalog.next", "Trang sau", "Next"),
    ("nav.catalog", "Sản phẩm OCOP", "OCOP products"),
    ("problem.invalid_stars", "Chỉ chứng nhận 3, 4 hoặc 5 sao.", "Only 3, 4 or 5 stars are certified."),
    ("problem.certificate_number_taken", "Số giấy chứng nhận này đã được ghi nhận.", "This certificate number is already recorded."),
    // stamps, lots and batches (web/stamps.rs)
    ("stamps.link", "Tem & lô sản xuất", "Stamps & production lots"),
    ("stamps.link_hint", "Lô sản xuất, đợt cấp tem truy xuất, kích hoạt và tải mã tem.", "Production lots, traceability stamp batches, activations and code downloads."),
    ("stamps.title", "Tem & lô sản xuất", "Stamps & production lots"),
    ("stamps.coverage", "Mức độ dán tem", "Stamp coverage"),
    ("stamps.lots_covered", "Lô đã dán tem đủ", "Lots fully stamped"),
    ("stamps.lots_unit", "lô", "lots"),
    ("stamps.units_stamped", "Sản phẩm đã dán tem", "Units stamped"),
    ("stamps.lots", "Lô sản xuất", "Production lots"),
    ("stamps.no_lots", "Chưa có lô sản xuất nào.", "No production lots yet."),
    ("stamps.lot_code", "Mã lô", "Lot code"),
    ("stamps.produced_on", "Ngày sản xuất", "Produced on"),
    ("stamps.expires_on", "Hạn sử dụng", "Expires on"),
    ("stamps.quantity", "Số lượng sản phẩm", "Units"),
    ("stamps.units", "Số lượng", "Units"),
    ("stamps.stamped", "Đã dán tem", "Stamped"),
    ("stamps.area_code", "Mã vùng nguyên liệu", "Raw-material area code"),
    ("stamps.notes", "Ghi chú", "Notes"),
    ("stamps.new_lot", "Thêm lô sản xuất", "Add a production lot"),
    ("stamps.create_lot", "Lưu lô sản xuất", "Save the lot"),
    ("stamps.batches", "Các đợt cấp tem", "Stamp batches"),
    ("stamps.no_batches", "Chưa có đợt tem nào.", "No stamp batches yet."),
    ("stamps.batch", "Đợt tem", "Stamp batch"),
    ("stamps.serials", "Số sê-ri", "Serials"),
    ("stamps.stamps_unit", "tem", "stamps"),
    ("stamps.stamp_unit", "tem", "stamp"),
    ("stamps.labels_unit", "nhãn", "labels"),
    ("stamps.new_batch", "Đặt đợt tem mới", "Order a new batch"),
    ("stamps.count", "Số lượng tem", "Number of stamps"),
    ("stamps.count_hint", "Mỗi đợt từ 1 đến", "Each batch holds from 1 to"),
    ("stamps.issue_batch", "Cấp tem", "Issue the stamps"),
    ("stamps.state.issued", "Chưa kích hoạt", "Not yet activated"),
    ("stamps.state.activated", "Đã kích hoạt", "Activated"),
    ("stamps.state.voided", "Đã hủy", "Voided"),
    ("stamps.product", "Sản phẩm", "Product"),
    ("stamps.created", "Ngày cấp", "Issued on"),
    ("stamps.picture", "Sơ đồ đợt tem", "Picture of the batch"),
    ("stamps.ranges", "Các lần kích hoạt và hủy tem", "Activations and voids"),
    ("stamps.no_ranges", "Chưa có tem nào của đợt này được kích hoạt hay hủy.", "No stamp of this batch has been activated or voided yet."),
    ("stamps.kind", "Thao tác", "Action"),
    ("stamps.kind.activated", "Kích hoạt", "Activated"),
    ("stamps.kind.voided", "Hủy", "Voided"),
    ("stamps.lot_or_reason", "Lô / lý do", "Lot / reason"),
    ("stamps.when", "Thời điểm", "When"),
    ("stamps.lot_word", "lô", "lot"),
    ("stamps.lot", "Lô sản xuất", "Production lot"),
    ("stamps.room", "còn nhận", "room for"),
    ("stamps.activate", "Kích hoạt tem", "Activate stamps"),
    ("stamps.activate_hint", "Gắn các tem đã dán lên hàng với lô sản xuất của hàng. Không kích hoạt được tem đã hủy, tem đã kích hoạt, hay nhiều tem hơn số sản phẩm còn lại của lô.", "Bind the stamps stuck on goods to the goods' production lot. Voided or already activated stamps cannot be activated, nor more stamps than the lot has units left."),
    ("stamps.no_lots_yet", "Sản phẩm chưa có lô sản xuất nào để kích hoạt tem.", "The product has no production lot to activate stamps for yet."),
    ("stamps.from", "Từ số", "From serial"),
    ("stamps.to", "Đến số", "To serial"),
    ("stamps.activate_button", "Kích hoạt", "Activate"),
    ("stamps.void", "Hủy tem", "Void stamps"),
    ("stamps.void_hint", "Tem hỏng, thất lạc hoặc bị mất cắp: hủy để không ai dùng được nữa, kể cả tem đã kích hoạt.", "Damaged, lost or stolen stamps: void them so that nobody can use them, activated ones too."),
    ("stamps.reason", "Lý do", "Reason"),
    ("stamps.reason_placeholder", "ví dụ: cuộn tem bị hỏng khi in", "e.g. roll damaged in printing"),
    ("stamps.void_button", "Hủy các tem này", "Void these stamps"),
    ("stamps.downloads", "Tải mã tem", "Download the codes"),
    ("stamps.csv", "Tệp CSV cho nhà in", "CSV for the printing house"),
    ("stamps.csv_hint", "Mỗi dòng một tem: số sê-ri, mã và đường dẫn kiểm tra.", "One row a stamp: serial, code and verification link."),
    ("stamps.download_csv", "Tải CSV", "Download CSV"),
    ("stamps.download_csv_pin", "Tải CSV kèm mã PIN", "Download CSV with PINs"),
    ("stamps.pin_warning", "Mã PIN là bí mật dưới lớp cào của tem: mỗi lần tải kèm PIN đều được ghi vào nhật ký. Chỉ gửi cho nhà in đã ký hợp đồng.", "PINs are the secret under each stamp's scratch-off: every download with PINs is recorded in the audit log. Send them only to the contracted printing house."),
    ("stamps.pdf", "Tờ nhãn A4 (PDF)", "A4 label sheets (PDF)"),
    ("stamps.layout", "Số nhãn mỗi trang (cột × hàng)", "Labels per page (columns × rows)"),
    ("stamps.pdf_hint", "Để trống Từ số, Đến số để in cả đợt. Mỗi tệp PDF in tối đa", "Leave From and To empty for the whole batch. One PDF holds at most"),
    ("stamps.with_pin", "In kèm mã PIN (được ghi vào nhật ký)", "Print the PINs (recorded in the audit log)"),
    ("stamps.download_pdf", "Tải PDF", "Download PDF"),
    ("stamps.one_stamp", "Một tem mẫu", "One sample stamp"),
    ("stamps.one_stamp_hint", "Tem đầu tiên của đợt, số sê-ri", "The batch's first stamp, serial"),
    ("stamps.done.lot", "Đã thêm lô sản xuất.", "The lot has been added."),
    ("stamps.done.batch", "Đã cấp đợt tem mới.", "The new batch has been issued."),
    ("stamps.done.activated", "Đã kích hoạt tem.", "The stamps have been activated."),
    ("stamps.done.voided", "Đã hủy tem.", "The stamps have been voided."),
    ("problem.range_outside_batch", "Các số sê-ri này không nằm trọn trong đợt tem: xem số đầu và số cuối của đợt.", "These serials are not all in this batch: see the batch's first and last serial."),
    ("problem.range_voided", "Các tem này đã bị hủy nên không thể kích hoạt.", "These stamps were voided and cannot be activated."),
    ("problem.range_already_activated", "Các tem này đã được kích hoạt cho một lô sản xuất.", "These stamps are already activated for a lot."),
    ("problem.range_already_voided", "Các tem này đã bị hủy trước đó.", "These stamps are already voided."),
    ("problem.range_beyond_lot", "Lô sản xuất không đủ sản phẩm cho ngần ấy tem: không kích hoạt nhiều tem hơn số sản phẩm còn lại của lô.", "The lot has too few units for that many stamps: activate no more stamps than it has units left."),
    ("problem.range_backwards", "Số đầu lớn hơn số cuối: hãy ghi số nhỏ hơn trước.", "The first serial is after the last: put the lower one first."),
    ("problem.lot_other_product", "Lô sản xuất này thuộc sản phẩm khác.", "This lot belongs to another product."),
    ("problem.void_reason_missing", "Hãy ghi lý do hủy tem (hỏng, thất lạc, mất cắp…).", "Give the reason for voiding (damaged, lost, stolen…)."),
    ("problem.invalid_lot", "Thông tin lô sản xuất chưa hợp lệ.", "The lot's details are not valid."),
    ("problem.invalid_lot.code", "Mã lô không được để trống, phải viết trên một dòng và tối đa 40 ký tự.", "The lot code must not be empty, must fit on one line and may have at most 40 characters."),
    ("problem.invalid_lot.expires_on", "Hạn sử dụng không được trước ngày sản xuất.", "The expiry date cannot be before the production date."),
    ("problem.invalid_lot.quantity", "Số lượng sản phẩm phải là số nguyên từ 1 đến 100.000.000.", "The number of units must be a whole number from 1 to 100,000,000."),
    ("problem.invalid_lot.area_code", "Mã vùng nguyên liệu tối đa 60 ký tự.", "The raw-material area code may have at most 60 characters."),
    ("problem.invalid_lot.notes", "Ghi chú tối đa 2.000 ký tự.", "The notes may have at most 2,000 characters."),
    ("problem.lot_code_taken", "Sản phẩm đã có lô mang mã này: hãy đặt mã khác cho lô mới.", "The product already has a lot with this code: give the new lot another code."),
    ("problem.invalid_count", "Mỗi đợt có từ 1 đến 10.000.000 tem.", "A batch holds 1 to 10,000,000 stamps."),
    ("problem.serials_exhausted", "Không còn đủ số sê-ri cho một đợt tem lớn như vậy.", "There are not enough serials left for a batch this large."),
    ("problem.invalid_number", "Hãy nhập một số nguyên, ví dụ 1000 hoặc 10.000.", "Enter a whole number, e.g. 1000 or 10,000."),
    ("problem.invalid_layout", "Bố cục trang không hợp lệ: chọn 3 × 8, 4 × 10 hoặc 5 × 13.", "Unknown page layout: choose 3 × 8, 4 × 10 or 5 × 13."),
    ("problem.pdf_too_large", "Một tệp PDF in tối đa 20.000 nhãn: hãy ghi Từ số, Đến số để in từng phần.", "One PDF holds at most 20,000 labels: fill in From and To to print it in parts."),
    ("problem.one_stamp_only", "SVG và PNG chỉ cho một tem: số đầu và số cuối phải bằng nhau.", "SVG and PNG show one stamp: From and To must be the same."),
    ("problem.key_missing", "Máy chủ chưa có khóa ký của đợt tem này: hãy báo quản trị hệ thống.", "The server lacks the key that signs this batch: tell the system administrator."),
    ("problem.no_gtin", "Liên kết GS1 cần mã GTIN của sản phẩm: hãy ghi GTIN trước.", "The GS1 Digital Link form needs the product's GTIN: record it first."),
    ("problem.invalid_link", "Dạng liên kết không hợp lệ.", "Unknown link form."),
    ("problem.unknown_reference", "Bản ghi được chọn không tồn tại.", "The chosen record does not exist."),
    // Verification: what a shopper reads after scanning a stamp.
    ("verify.verdict.genuine", "Tem thật", "Genuine stamp"),
    ("verify.verdict.unknown", "Không phải tem của hệ thống", "Not a stamp of this system"),
    ("verify.verdict.not_activated", "Tem chưa được kích hoạt", "Stamp not activated"),
    ("verify.verdict.void", "Tem đã bị hủy", "Stamp voided"),
    ("verify.verdict.recalled", "Lô hàng đã bị thu hồi", "Lot recalled"),
    ("verify.verdict.expired", "Sản phẩm đã hết hạn sử dụng", "Product past its expiry date"),
    ("verify.verdict.suspicious", "Tem thật nhưng có dấu hiệu bị sao chép", "Genuine stamp, but it may have been copied"),
    ("verify.reason.registered", "Tem do chương trình OCOP phát hành và đã gắn với một lô sản xuất.", "Issued by the OCOP programme and bound to a production lot."),
    ("verify.reason.malformed", "Mã không đúng dạng mã tem (16 ký tự). Hãy kiểm tra lại mã đã nhập.", "This is not a stamp code (16 characters). Check what was typed."),
    ("verify.reason.no_batch", "Mã này chưa từng được phát hành. Có thể là tem giả.", "This code was never issued. It may be a fake stamp."),
    ("verify.reason.bad_tag", "Mã không khớp với khóa của hệ thống. Có thể là tem giả.", "The code does not match the system's keys. It may be a fake stamp."),
    ("verify.reason.not_activated", "Tem thật nhưng chưa được gắn với lô hàng nào: không nên có trên kệ hàng. Hãy báo cho chúng tôi.", "A real stamp that was never bound to a lot: it should not be on a shelf. Please report it."),
    ("verify.reason.voided", "Tem này đã bị hủy (hỏng, mất hoặc bị đánh cắp). Sản phẩm mang tem này đáng ngờ.", "This stamp was voided (damaged, lost or stolen). A product carrying it is suspect."),
    ("verify.reason.recalled", "Lô hàng này đã bị thu hồi. Không sử dụng sản phẩm.", "This lot has been recalled. Do not use the product."),
    ("verify.reason.expired", "Lô hàng đã quá hạn sử dụng.", "The lot is past its expiry date."),
    ("verify.reason.many_scans", "Tem này đã được quét nhiều hơn bình thường rất nhiều: có thể đã bị sao chép.", "This stamp has been scanned far more often than usual: it may have been copied."),
    ("verify.reason.many_places", "Tem này đã được quét từ quá nhiều nơi khác nhau: có thể đã bị sao chép.", "This stamp has been scanned from too many different places: it may have been copied."),
    ("verify.reason.pin_reused", "Mã PIN của tem đã được nhập lại sau lần kiểm tra đầu tiên.", "The stamp's PIN was entered again after its first check."),
    ("verify.reason.gtin_mismatch", "Mã vạch sản phẩm trong liên kết không khớp với sản phẩm của tem: liên kết này không do chương trình in ra. Có thể là tem giả.", "The product barcode in the link does not match the stamp's product: this link was not printed by the programme. It may be a fake stamp."),
    ("verify.reason.pin_locked", "Kiểm tra PIN của tem đã bị khóa sau nhiều lần nhập sai.", "The stamp's PIN check was locked after too many wrong tries."),

    ("verify.pin.first_check", "Tem thật — đây là lần kiểm tra PIN đầu tiên.", "Genuine — this is the first check of its PIN."),
    ("verify.pin.already_checked", "PIN này đã được kiểm tra trước đây. Nếu không phải bạn đã kiểm tra, tem có thể đã bị sao chép.", "This PIN was checked before. If that was not you, the stamp may have been copied."),
    ("verify.pin.wrong_pin", "PIN không đúng. Hãy kiểm tra lại 8 chữ số dưới lớp cào.", "Wrong PIN. Check the 8 digits under the scratch-off layer."),
    ("verify.pin.locked", "Kiểm tra PIN của tem này đã bị khóa sau 5 lần nhập sai. Cơ quan quản lý đã được cảnh báo.", "This stamp's PIN check is locked after 5 wrong tries. The authorities have been alerted."),
    ("verify.pin.not_in_use.void", "Tem này đã bị hủy (hỏng, mất hoặc bị đánh cắp): mã PIN của nó không chứng minh được điều gì, vì cuộn tem bị mất vẫn mang mã PIN. Đừng tin sản phẩm mang tem này; hãy báo cho chúng tôi.", "This stamp was voided (damaged, lost or stolen): its PIN proves nothing, since a stolen roll carries its PINs too. Do not trust a product carrying it; please report it."),
    ("verify.pin.not_in_use.not_activated", "Tem này chưa từng được gắn với lô hàng nào nên không thể có trên kệ hàng: mã PIN của nó không chứng minh được điều gì. Hãy báo cho chúng tôi.", "This stamp was never bound to a lot, so it should not be on a shelf: its PIN proves nothing. Please report it."),
    ("verify.pin.not_in_use.unknown", "Mã này không phải tem của hệ thống: không có mã PIN nào để kiểm tra.", "This code is not a stamp of this system: there is no PIN to check."),
    ("verify.pin.first_check.recalled", "Mã PIN đúng và được kiểm tra lần đầu, nhưng lô hàng này đã bị thu hồi: không sử dụng sản phẩm.", "The PIN is right and this is its first check, but the lot has been recalled: do not use the product."),
    ("verify.pin.first_check.expired", "Mã PIN đúng và được kiểm tra lần đầu, nhưng sản phẩm đã quá hạn sử dụng.", "The PIN is right and this is its first check, but the product is past its expiry date."),
    ("verify.pin.first_check.suspicious", "Mã PIN đúng và được kiểm tra lần đầu, nhưng mã tem này đã được quét bất thường nên có thể đã bị sao chép: hãy xem kỹ bao bì.", "The PIN is right and this is its first check, but this stamp's code has been scanned unusually and may have been copied: look closely at the packaging."),
    ("verify.pin_verdict", "Tình trạng của tem", "The stamp's state"),
    // The consumer page (web/verify.rs): what a shopper sees after scanning a stamp.
    ("verify.title", "Kiểm tra tem OCOP", "OCOP stamp check"),
    ("verify.code", "Mã tem", "Stamp code"),
    ("verify.stars", "sao", "stars"),
    ("verify.certificate", "Giấy chứng nhận OCOP", "OCOP certificate"),
    ("verify.certificate_number", "số", "no."),
    ("verify.valid_until", "còn hiệu lực đến", "valid until"),
    ("verify.no_certificate", "Chưa có giấy chứng nhận OCOP còn hiệu lực nên không hiển thị hạng sao.", "No valid OCOP certificate, so no stars are shown."),
    ("verify.producer", "Chủ thể sản xuất", "Producer"),
    ("verify.lot", "Lô sản xuất", "Production lot"),
    ("verify.lot_code", "Mã lô", "Lot code"),
    ("verify.produced_on", "Ngày sản xuất", "Produced on"),
    ("verify.expires_on", "Hạn sử dụng", "Best before"),
    ("verify.recalled_badge", "Đã thu hồi", "Recalled"),
    ("verify.recall_reason", "Lý do thu hồi", "Reason for the recall"),
    ("verify.scanned", "Tem đã được quét", "This stamp has been scanned"),
    ("verify.times", "lần", "times"),
    ("verify.since", "kể từ", "since"),
    ("verify.pin_title", "Kiểm tra mã PIN", "Check the PIN"),
    ("verify.pin_hint", "Cào lớp phủ bạc trên tem và nhập 8 chữ số. Một mã PIN chỉ được xác nhận lần đầu một lần.", "Scratch off the silver layer of the stamp and type the 8 digits. A PIN is confirmed as a first check only once."),
    ("verify.pin_label", "Mã PIN (8 chữ số)", "PIN (8 digits)"),
    ("verify.pin_submit", "Kiểm tra PIN", "Check the PIN"),
    ("verify.pin_first_checked_at", "Lần kiểm tra đầu tiên", "First checked"),
    ("verify.pin_attempts_left", "Số lần thử còn lại", "Tries left"),
    ("verify.back", "Quay lại trang kiểm tra tem", "Back to the stamp's page"),
    ("verify.report_title", "Báo nghi ngờ hàng giả", "Report a suspected fake"),
    ("verify.report_hint", "Cho cơ quan quản lý biết điều bất thường. Không bắt buộc để lại thông tin liên lạc.", "Tell the authorities what looks wrong. Leaving your contact details is optional."),
    ("verify.report_what", "Điều gì bất thường?", "What looks wrong?"),
    ("verify.report_place", "Mua hoặc thấy ở đâu?", "Where was it bought or seen?"),
    ("verify.report_contact", "Số điện thoại hoặc thư điện tử (nếu muốn được trả lời)", "Phone or e-mail (if you want an answer)"),
    ("verify.report_photo", "Ảnh chụp (không bắt buộc; JPEG, PNG hoặc WebP, tối đa 10 MB)", "Photo (optional; JPEG, PNG or WebP, at most 10 MB)"),
    ("verify.report_submit", "Gửi báo cáo", "Send the report"),
    ("verify.report_thanks_title", "Đã nhận báo cáo", "Report received"),
    ("verify.report_thanks", "Cảm ơn bạn! Báo cáo đã được gửi tới cơ quan quản lý chương trình OCOP.", "Thank you! Your report has gone to the authorities of the OCOP programme."),
    ("problem.invalid_pin", "Mã PIN gồm đúng 8 chữ số dưới lớp cào của tem.", "The PIN is the 8 digits under the stamp's scratch-off layer."),
    ("problem.report_what_missing", "Hãy cho biết điều gì bất thường (tối đa 2.000 ký tự).", "Say what looks wrong (at most 2,000 characters)."),
    ("problem.report_code_missing", "Hãy ghi mã in trên tem.", "Give the code printed on the stamp."),
    ("problem.invalid_photo", "Ảnh phải là tệp JPEG, PNG hoặc WebP.", "The photo must be a JPEG, PNG or WebP picture."),
    ("problem.scan_not_recorded", "Chưa ghi nhận được lượt kiểm tra. Vui lòng thử lại sau giây lát.", "The check could not be recorded just now. Please try again in a moment."),
    ("problem.recall_reason_missing", "Hãy ghi lý do thu hồi (tối đa 500 ký tự): người mua sẽ đọc lý do này.", "Give the grounds of the recall (at most 500 characters): shoppers will read them."),
    ("problem.lot_already_recalled", "Lô sản xuất này đã được thu hồi.", "This lot is already recalled."),
    ("problem.invalid_state", "Trạng thái cảnh báo không hợp lệ.", "Unknown alert state."),
    // Recalls and scan figures on a product's stamp page (web/stamps.rs).
    ("recall.recalled", "Đã thu hồi", "Recalled"),
    ("recall.open", "Thu hồi lô", "Recall the lot"),
    ("recall.reason", "Lý do thu hồi (người mua sẽ đọc)", "Grounds (shoppers will read them)"),
    ("recall.hint", "Từ lúc thu hồi, mọi tem của lô báo cho người mua “Lô hàng đã bị thu hồi”. Không hoàn tác được.", "From then on every stamp of the lot tells shoppers “Lot recalled”. This cannot be undone."),
    ("recall.submit", "Thu hồi lô này", "Recall this lot"),
    ("stamps.done.recalled", "Đã thu hồi lô sản xuất.", "The lot has been recalled."),
    ("scans.title", "Lượt quét tem trong 30 ngày qua", "Stamp scans in the last 30 days"),
    ("scans.chart", "Biểu đồ lượt quét mỗi ngày", "Scans per day"),
    ("scans.first", "Quét lần đầu", "First scans"),
    ("scans.repeat", "Quét lại", "Repeat scans"),
    ("scans.total", "Tổng số lượt quét", "All scans"),
    ("scans.unit", "lượt quét", "scans"),
    ("scans.none", "Chưa có lượt quét nào trong 30 ngày qua.", "No scans in the last 30 days."),
    ("scans.scale", "Cột cao nhất", "Highest bar"),
    // What the office and producers watch (web/watch.rs).
    ("nav.alerts", "Cảnh báo", "Alerts"),
    ("nav.reports", "Phản ánh", "Reports"),
    ("watch.alerts_title", "Cảnh báo từ lượt quét tem", "Alerts from stamp scans"),
    ("watch.alerts_hint", "Dấu hiệu tem giả hoặc tem bị sao chép trên các sản phẩm bạn theo dõi, mới nhất trước.", "Signs of fake or copied stamps on the products you watch, newest first."),
    ("watch.reports_title", "Phản ánh của người tiêu dùng", "Shoppers' reports"),
    ("watch.reports_hint", "Báo cáo nghi ngờ hàng giả do người mua gửi từ trang kiểm tra tem, mới nhất trước.", "Suspected fakes reported by shoppers from the stamp check page, newest first."),
    ("watch.filter", "Lọc theo trạng thái", "Filter by state"),
    ("watch.state.all", "Tất cả", "All"),
    ("watch.state.new", "Mới", "New"),
    ("watch.state.seen", "Đã xem", "Seen"),
    ("watch.state.closed", "Đã đóng", "Closed"),
    ("watch.kind", "Loại cảnh báo", "Kind"),
    ("watch.kind.many_scans", "Tem bị quét quá nhiều lần", "Stamp scanned too often"),
    ("watch.kind.many_places", "Tem bị quét ở quá nhiều nơi", "Stamp scanned in too many places"),
    ("watch.kind.scan_not_activated", "Quét tem chưa kích hoạt", "Scan of a stamp never activated"),
    ("watch.kind.scan_void", "Quét tem đã hủy", "Scan of a voided stamp"),
    ("watch.kind.guessing", "Dò mã tem hàng loạt", "Codes being guessed"),
    ("watch.kind.pin_reused", "Mã PIN bị nhập lại", "PIN entered again"),
    ("watch.kind.pin_locked", "Kiểm tra PIN bị khóa", "PIN check locked"),
    ("watch.product", "Sản phẩm", "Product"),
    ("watch.no_product", "Không thuộc sản phẩm nào", "No product"),
    ("watch.serial", "Số sê-ri", "Serial"),
    ("watch.details", "Chi tiết", "Details"),
    ("watch.when", "Thời điểm", "When"),
    ("watch.state", "Trạng thái", "State"),
    ("watch.mark_seen", "Đánh dấu đã xem", "Mark seen"),
    ("watch.close", "Đóng cảnh báo", "Close"),
    ("watch.reopen", "Mở lại", "Reopen"),
    ("watch.no_alerts", "Không có cảnh báo nào.", "No alerts."),
    ("watch.no_reports", "Chưa có phản ánh nào.", "No reports yet."),
    ("watch.done", "Đã cập nhật cảnh báo.", "The alert has been updated."),
    ("watch.code", "Mã trên tem", "Code on the stamp"),
    ("watch.what", "Nội dung", "What looks wrong"),
    ("watch.place", "Nơi mua / thấy", "Where"),
    ("watch.contact", "Liên lạc", "Contact"),
    ("watch.photo", "Ảnh", "Photo"),
    ("watch.view_photo", "Xem ảnh", "View the photo"),
    ("watch.detail.scans", "lượt quét", "scans"),
    ("watch.detail.places", "nơi quét", "places"),
    ("watch.detail.threshold", "ngưỡng", "threshold"),
    ("watch.detail.unknown_scans", "mã lạ", "unknown codes"),
    ("watch.detail.minutes", "phút", "minutes"),
    ("watch.detail.place", "mạng", "network"),

];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_texts_present() {
        assert_eq!(
            TABLE.len(),
            all_texts().count(),
            "duplicate keys in the texts"
        );
        for (k, vi, en) in all_texts() {
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
        }
        for role in ocop_domain::Role::ALL {
            assert_ne!(Tr(Lang::Vi).role(&role), "?");
        }
    }

    #[test]
    fn every_key_used_in_templates_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split("tr.t(\"").skip(1) {
                let key = piece.split('"').next().unwrap();
                assert!(
                    TABLE.contains_key(key),
                    "{} uses missing key {key}",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn problems_fall_back_to_generic() {
        let tr = Tr(Lang::En);
        assert_eq!(
            tr.problem("email_taken"),
            "This e-mail already belongs to another user."
        );
        assert_eq!(tr.problem("no_such_code"), tr.t("problem.generic"));
    }
}
