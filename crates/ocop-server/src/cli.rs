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
