/**
 * Every error code Botwire raises, with the sentence a person needs to fix it.
 * Codes are stable: code may branch on them, docs link to them, and they never change meaning.
 */
export const errorCatalog = {
  BOTWIRE_CONFIG_NOT_FOUND:
    'No bot config was found. Pass --config <file> or create botwire.config.ts.',
  BOTWIRE_CONFIG_INVALID: 'The bot config is invalid. Fix the fields listed below.',
  BOTWIRE_CONFIG_LOAD_FAILED:
    'The bot config could not be loaded. Check the file for syntax errors.',
  BOTWIRE_SKILL_MANIFEST_INVALID:
    "A skill's skill.json is invalid. Fix every problem listed below.",
  BOTWIRE_SKILL_NOT_FOUND:
    'A skill named in the config could not be found. Install the package or fix the path.',
  BOTWIRE_SKILL_HANDLER_MISSING:
    'A tool declared in skill.json has no handler. Export one from the skill module.',
  BOTWIRE_SKILL_LOAD_FAILED: "A skill's module could not be loaded. Check the module for errors.",
  BOTWIRE_SKILLS_INVALID:
    'The bot cannot start: its skills have problems. Fix every problem listed below.',
  BOTWIRE_TOOL_NOT_FOUND:
    'No loaded skill provides this tool. Run `botwire skills list` to see the tools.',
  BOTWIRE_TOOL_ARGUMENTS_INVALID:
    "The tool's arguments do not match its input_schema. Fix the fields listed below.",
  BOTWIRE_TOOL_OUTPUT_INVALID: "The tool's result does not match its output_schema.",
  BOTWIRE_TOOL_PERMISSION_DENIED: 'The tool needs a permission the bot config does not grant.',
  BOTWIRE_TOOL_TIMEOUT: 'The tool did not finish within its timeout_ms.',
  BOTWIRE_TOOL_FAILED: 'The tool failed while running.',
  BOTWIRE_CAPABILITY_NOT_DECLARED:
    'The skill used a runtime capability its manifest does not declare.',
  BOTWIRE_STORAGE_FAILED: 'The storage driver failed.',
  BOTWIRE_STORAGE_CLOSED: 'The storage was used after it was closed.',
  BOTWIRE_VECTOR_INDEX_FAILED:
    'The vector index failed (or its server could not be reached). Check its URL and that it runs.',
  BOTWIRE_QUEUE_FAILED:
    'The job queue failed (or its server could not be reached). Check its URL and that it runs.',
  BOTWIRE_SCHEDULE_UNCLEAR:
    'The time of a reminder or schedule is not clear. Answer the question in the message with a date and time.',
  BOTWIRE_SANDBOX_FAILED:
    'The code sandbox could not run the code (its interpreter or container did not start or died). The details say why.',
  BOTWIRE_JOB_NOT_FOUND:
    'There is no such job of this user: the id is wrong, or the job ended or was cancelled. /jobs lists them.',
  BOTWIRE_DOCUMENT_TOO_LARGE: 'The file is larger than documents may be. Send a smaller file.',
  BOTWIRE_DOCUMENT_UNSUPPORTED:
    'This kind of file cannot be read as a document. Send a PDF, DOCX, TXT, Markdown or HTML file.',
  BOTWIRE_INTEGRATION_INVALID:
    'The API document or definition cannot be used: each problem is listed with its JSON path. Fix them and connect it again.',
  BOTWIRE_INTEGRATION_NOT_FOUND:
    'There is no connected API of that name for this user. integrations_list (or /integrations) shows the connected ones.',
  BOTWIRE_INTEGRATION_CREDENTIALS_MISSING:
    'The API needs a credential that was not given (a token, an API key, a user name and password, or an OAuth2 client id and secret). Give it when connecting the API.',
  BOTWIRE_INTEGRATION_UNHEALTHY:
    "The API's health check failed, so the integration was not saved. The message shows the status and what the API answered.",
  BOTWIRE_INTEGRATION_AUTH_FAILED:
    'The API refused the credentials: the OAuth2 token could not be renewed, or the renewed one was refused too. Check the client id and secret, and connect the API again.',
  BOTWIRE_DOCUMENT_ENCRYPTED:
    'The PDF is protected with a password. Send a copy without the password.',
  BOTWIRE_DOCUMENT_UNREADABLE:
    'The file could not be read: it is damaged, empty, or its contents do not match its name.',
  BOTWIRE_ADAPTER_NOT_FOUND:
    'An adapter named in the config could not be found. Install its package.',
  BOTWIRE_ADAPTER_FAILED: 'A messenger adapter failed.',
  BOTWIRE_ADAPTER_NOT_STARTED:
    'The adapter was asked to send before it started or after it stopped.',
  BOTWIRE_IMAGE_PROMPT_TOO_LONG: 'The prompt is longer than the image provider takes. Shorten it.',
  BOTWIRE_IMAGE_PROVIDER_FAILED:
    'The image provider refused the request or failed. Check its key and status, or try again later.',
  BOTWIRE_TRANSCRIPTION_TOO_LARGE:
    'The audio is larger than the transcription provider takes. Split it into chunks first.',
  BOTWIRE_TRANSCRIPTION_FAILED:
    'The transcription provider refused the audio or failed. Check its key and the audio format, or try again later.',
  BOTWIRE_SPEECH_TEXT_TOO_LONG:
    'The text is longer than the speech driver reads. Shorten it, or split it into parts.',
  BOTWIRE_SPEECH_UNAVAILABLE:
    'A program or service the speech driver needs is missing. Install espeak-ng and ffmpeg (apt-get install -y espeak-ng ffmpeg), or configure another speech driver.',
  BOTWIRE_SPEECH_FAILED:
    'The speech driver failed to read the text aloud. Check its key or programs, or try again later.',
  BOTWIRE_ADAPTER_RECIPIENT_BLOCKED:
    'The user blocked the bot or deleted their account, so the messenger refused the message. Stop sending to them until they write again.',
  BOTWIRE_ACCESS_DENIED: 'The user may not do this.',
  BOTWIRE_MIDDLEWARE_NEXT_TWICE: 'A middleware called next() more than once.',
  BOTWIRE_INVALID_ARGUMENT: 'A function was called with an invalid argument.',
  BOTWIRE_MODEL_NOT_CONFIGURED:
    'No chat model is configured. Set BOTWIRE_MODEL (openai:<model> or ollama:<model>) or model in the config.',
  BOTWIRE_MODEL_UNAVAILABLE:
    'The model endpoint could not be reached. Check its URL and that it is running.',
  BOTWIRE_MODEL_TIMEOUT: 'The model did not answer within the timeout.',
  BOTWIRE_MODEL_RATE_LIMITED:
    'The model endpoint refused the call for now (rate limit). Try again later.',
  BOTWIRE_MODEL_CIRCUIT_OPEN:
    'The model failed repeatedly, so calls are paused until the cool-down ends.',
  BOTWIRE_MODEL_FAILED: 'The model endpoint answered with an error.',
  BOTWIRE_MODEL_BAD_RESPONSE: 'The model answered with something that is not a valid response.',
  BOTWIRE_PLAN_INVALID:
    'The planner produced a plan that cannot run. Fix the problems listed below.',
  BOTWIRE_LIMIT_REACHED: 'A usage limit was reached.',
  BOTWIRE_HTTP_TOKEN_REQUIRED:
    'The HTTP server listens on an address other machines can reach, so it needs an API token.',
  BOTWIRE_HTTP_LISTEN_FAILED: 'The HTTP server could not listen on its address and port.',
  BOTWIRE_EGRESS_BLOCKED:
    'The egress policy blocked an outbound request. Add the destination to egress.allow in botwire.config if it is meant to be reachable.',
  BOTWIRE_EGRESS_TOO_LARGE:
    'The response is larger than the egress size cap (egress.maxResponseBytes).',
  BOTWIRE_EGRESS_TIMEOUT: 'The outbound request did not finish within egress.timeoutMs.',
  BOTWIRE_EGRESS_REDIRECT_LIMIT:
    'The outbound request was redirected more times than egress.maxRedirects allows.',
  BOTWIRE_EGRESS_FAILED:
    'The outbound request failed (the host did not resolve, or the connection failed).',
  BOTWIRE_DOCUMENT_TOO_COMPLEX:
    'The document was too complex to render within its time or memory limit. Make it shorter or simpler, or split it.',
  BOTWIRE_INTERNAL: 'Something failed inside the bot; its log has the details.',
  BOTWIRE_NOT_FOUND: 'There is nothing at that address, or it belongs to someone else.',
  BOTWIRE_SCAFFOLD_FAILED: 'The project could not be scaffolded.',
  BOTWIRE_SECRET_KEY_MISSING:
    'A stored secret was encrypted with a key this bot does not have. Add that key id to BOTWIRE_SECRET_KEYS (kid:base64key), or restore the key file it was in.',
  BOTWIRE_SECRET_DECRYPT_FAILED:
    'A stored secret could not be decrypted: the key with its id is not the original one, or the record was changed or copied from another slot. Restore the original key, or set the secret again.',
  BOTWIRE_SECRET_KEYS_INVALID:
    'The secret keys are invalid. BOTWIRE_SECRET_KEYS (or the secret-keys file in the data directory) is kid:base64key entries of 32-byte keys; BOTWIRE_SECRET_ACTIVE_KEY names one of them.',
} as const;

/** A stable Botwire error code, such as `BOTWIRE_SKILL_MANIFEST_INVALID`. */
export type BotwireErrorCode = keyof typeof errorCatalog;

/**
 * Codes of single problems inside a larger error (a manifest or config can have many at once).
 * Each names one kind of mistake; the problem's own message says where and how to fix it.
 */
export const problemCatalog = {
  BOTWIRE_MANIFEST_NOT_JSON: 'skill.json is not valid JSON.',
  BOTWIRE_MANIFEST_FIELD_MISSING: 'A required field is missing.',
  BOTWIRE_MANIFEST_FIELD_TYPE: 'A field has the wrong type.',
  BOTWIRE_MANIFEST_FIELD_PATTERN: 'A field does not have the required form.',
  BOTWIRE_MANIFEST_FIELD_ENUM: 'A field has a value that is not allowed.',
  BOTWIRE_MANIFEST_FIELD_UNKNOWN: 'A field is not part of the manifest format.',
  BOTWIRE_MANIFEST_FIELD_INVALID: 'A field is invalid.',
  BOTWIRE_MANIFEST_DUPLICATE_TOOL: 'Two tools have the same name.',
  BOTWIRE_MANIFEST_DUPLICATE_COMMAND: 'Two commands have the same name.',
  BOTWIRE_MANIFEST_COMMAND_TOOL_UNKNOWN: 'A command names a tool the manifest does not declare.',
  BOTWIRE_MANIFEST_COMMAND_CONVERSATION_UNKNOWN:
    'A command starts a conversation the manifest does not list in conversations.',
  BOTWIRE_MANIFEST_COMMAND_ARGUMENT_UNKNOWN:
    "A command's argument is not a property of its tool's input_schema.",
  BOTWIRE_MANIFEST_PATTERN_INVALID:
    'A pattern is not a valid regular expression, names a group its tool does not take, or its example does not match it.',
  BOTWIRE_MANIFEST_PATTERN_TOOL_UNKNOWN: 'A pattern names a tool the manifest does not declare.',
  BOTWIRE_MANIFEST_FILES_TOOL_UNKNOWN:
    'A files entry names a tool (or caption property) that this skill.json does not declare.',
  BOTWIRE_MANIFEST_INPUT_SCHEMA_INVALID:
    'An input_schema is not a valid JSON Schema of type object.',
  BOTWIRE_MANIFEST_OUTPUT_SCHEMA_INVALID: 'An output_schema is not a valid JSON Schema.',
  BOTWIRE_MANIFEST_CONFIG_SCHEMA_INVALID: 'config_schema is not a valid JSON Schema.',
  BOTWIRE_SKILL_DUPLICATE_NAME: 'Two skills of the bot have the same name.',
  BOTWIRE_SKILL_TOOL_NAME_TAKEN: 'Another skill of the bot already has a tool with this name.',
  BOTWIRE_SKILL_COMMAND_TAKEN:
    'Another skill, or the runtime, already has a command with this name.',
  BOTWIRE_SKILL_HANDLER_MISSING: 'A declared tool has no handler in the skill module.',
  BOTWIRE_SKILL_HANDLER_EXTRA:
    'The skill module has a handler for a tool the manifest does not declare.',
  BOTWIRE_SKILL_CONFIG_INVALID:
    "The skill's options in the bot config do not match its config_schema.",
  BOTWIRE_SKILL_ENV_MISSING: 'An environment variable the skill requires is not set.',
  BOTWIRE_SKILL_NOT_FOUND: 'The skill could not be found.',
  BOTWIRE_SKILL_LOAD_FAILED: "The skill's module could not be loaded.",
  BOTWIRE_ARGUMENT_INVALID: 'A tool argument does not match the input_schema.',
  BOTWIRE_OUTPUT_INVALID: "A tool's result does not match its output_schema.",
  BOTWIRE_CONFIG_FIELD_INVALID: 'A config field is invalid.',
} as const;

/** A stable code for one problem, such as `BOTWIRE_MANIFEST_DUPLICATE_TOOL`. */
export type ProblemCode = keyof typeof problemCatalog;
