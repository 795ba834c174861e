//! The command line: global options (each with an environment variable) and subcommands.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ocop",
    version,
    about = "OCOP programme management and smart QR stamps"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalOptions {
    /// sqlite://FILE (the embedded default) or postgres://USER@HOST/DATABASE
    #[arg(
        long,
        env = "OCOP_DATABASE_URL",
        default_value = "sqlite://ocop.db",
        global = true
    )]
    pub database_url: String,
    /// The stamp key file; created with mode 0600 on first start
    #[arg(
        long,
        env = "OCOP_KEY_FILE",
        default_value = "ocop-keys.json",
        global = true
    )]
    pub key_file: PathBuf,
    /// Where uploaded documents and import files are kept (created if missing)
    #[arg(
        long,
        env = "OCOP_DATA_DIR",
        default_value = "ocop-data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// The address shoppers and users reach this server at (printed on stamps);
    /// default http://127.0.0.1:8080, or the --listen address when serving
    #[arg(long, env = "OCOP_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Stamp verifications and PIN checks allowed per minute from one network (/24 or /48);
    /// 0 turns the limit off (load tests)
    #[arg(
        long,
        env = "OCOP_RATE_LIMIT_PER_MINUTE",
        default_value_t = 60,
        global = true
    )]
    pub rate_limit_per_minute: u32,
    /// Scans of one stamp that raise a "scanned far more than a product ever is" alert
    #[arg(
        long,
        env = "OCOP_SCAN_ALERT_THRESHOLD",
        default_value_t = 50,
        global = true
    )]
    pub scan_alert_threshold: i64,
    /// Distinct networks one stamp may be scanned from before an alert
    #[arg(
        long,
        env = "OCOP_PLACE_ALERT_THRESHOLD",
        default_value_t = 5,
        global = true
    )]
    pub place_alert_threshold: i64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server
    Serve {
        #[arg(long, env = "OCOP_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
    /// Run the server with demo data (loaded only into an empty database)
    Demo {
        #[arg(long, env = "OCOP_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
    /// Bring the database schema up to date and load the localities
    Migrate,
    /// Manage users
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens
    #[command(subcommand)]
    Token(TokenCommand),
    /// Smart QR stamps: order batches, export them for printing, check a code
    #[command(subcommand)]
    Stamps(StampsCommand),
    /// The stamp key file
    #[command(subcommand)]
    Keys(KeysCommand),
    /// The 26 OCOP criteria sets and scoring on them
    #[command(subcommand)]
    Criteria(CriteriaCommand),
    /// Fill a database with synthetic organizations and products for load tests
    #[command(hide = true)]
    BenchData {
        #[arg(long, default_value_t = 100_000)]
        products: usize,
        #[arg(long, default_value_t = 2_000)]
        organizations: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum CriteriaCommand {
    /// List the sets: number, product group, name and lead ministry
    List,
    /// Show one set's score sheet: criteria, options (numbered from 0), points and star markers
    Show {
        #[arg(long)]
        set: i64,
    },
    /// Score council members' answers on a set and print the result as JSON
    Score {
        #[arg(long)]
        set: i64,
        /// JSON file `{"members":[{"1.1":2,…},…]}`, or - for standard input
        #[arg(long)]
        answers: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// central, admin, officer, evaluator, producer or inspector
        #[arg(long)]
        role: String,
        /// Province (2 digits) or commune (5 digits) code of the user's scope
        #[arg(long)]
        locality: Option<String>,
        /// The economic organization a producer works for
        #[arg(long)]
        organization: Option<i64>,
        /// Read the password from standard input (required: passwords never go on the command line)
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (shown only once)
    Create {
        #[arg(long)]
        email: String,
        /// A label to recognize the token by
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StampsCommand {
    /// Order a batch of stamps for a product; prints {"batch_id":…,"first_serial":…,"count":…}
    Issue {
        /// The product's id
        #[arg(long)]
        product: i64,
        /// How many stamps (1 to 10,000,000)
        #[arg(long)]
        count: i64,
    },
    /// Write a batch's stamps to a file: CSV for printing houses, PDF label sheets, one stamp as SVG or PNG
    Export {
        /// The batch's id
        batch: i64,
        /// csv, pdf, svg or png
        #[arg(long)]
        format: String,
        /// The file to write (replaced only once complete)
        #[arg(long)]
        output: std::path::PathBuf,
        /// Include the PINs (an audited action)
        #[arg(long)]
        with_pin: bool,
        /// Labels per A4 page for PDF, COLUMNSxROWS: 3x8, 4x10 (default), 5x13…
        #[arg(long)]
        layout: Option<String>,
        /// First serial (default: the batch's first)
        #[arg(long)]
        from: Option<i64>,
        /// Last serial (default: the batch's last; for svg/png the same as --from)
        #[arg(long)]
        to: Option<i64>,
        /// Put GS1 Digital Link URLs in the QR (products with a GTIN)
        #[arg(long)]
        digital_link: bool,
    },
    /// Check a stamp code with the key file: prints its serial and batch, or why it is not valid
    Verify {
        /// The 16-character code (hyphens, spaces and case do not matter)
        code: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a new key for new batches; stamps already printed keep verifying with their key
    Rotate,
}
