<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AttachmentChip</name>
    <message>
        <source>Remove {name}</source>
        <translation>移除 {name}</translation>
    </message>
</context>
<context>
    <name>CorrectionButton</name>
    <message>
        <source>Not what I meant ▾</source>
        <translation>不是我的意思 ▾</translation>
    </message>
    <message>
        <source>Not what I meant</source>
        <translation>不是我的意思</translation>
    </message>
    <message>
        <source>Pick what you meant: the last reply is made again that way, and Sensorium learns it</source>
        <translation>选择你的本意：上一条回复会按此重新生成，Sensorium 也会记住</translation>
    </message>
    <message>
        <source>What you meant</source>
        <translation>你的本意</translation>
    </message>
    <message>
        <source>I meant:</source>
        <translation>我的意思是：</translation>
    </message>
</context>
<context>
    <name>DetailsPanel</name>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Question about a picture</source>
        <translation>关于图片的提问</translation>
    </message>
    <message>
        <source>Draw a picture</source>
        <translation>画一张图</translation>
    </message>
    <message>
        <source>Edit a picture</source>
        <translation>编辑图片</translation>
    </message>
    <message>
        <source>Search pictures</source>
        <translation>搜索图片</translation>
    </message>
    <message>
        <source>Transcribe</source>
        <translation>转写</translation>
    </message>
    <message>
        <source>Nothing to do</source>
        <translation>无需操作</translation>
    </message>
    <message>
        <source>positive</source>
        <extracomment>The sentiment labels of pipelines.sentiment.label_for.</extracomment>
        <translation>积极</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>消极</translation>
    </message>
    <message>
        <source>neutral</source>
        <translation>中性</translation>
    </message>
    <message>
        <source>writing…</source>
        <extracomment>A message's status as the row shows it ("" for a complete one; an unknown one as stored).</extracomment>
        <translation>正在撰写…</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>total</source>
        <extracomment>The engine's timings (their key without "_ms", "_" as a space) and the roles of "Models".</extracomment>
        <translation>总计</translation>
    </message>
    <message>
        <source>route</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>transcript</source>
        <translation>转写</translation>
    </message>
    <message>
        <source>first token</source>
        <translation>首个词元</translation>
    </message>
    <message>
        <source>llm first token</source>
        <translation>语言模型首个词元</translation>
    </message>
    <message>
        <source>generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>first audio</source>
        <translation>首段音频</translation>
    </message>
    <message>
        <source>tts first</source>
        <translation>首段语音合成</translation>
    </message>
    <message>
        <source>vision</source>
        <translation>图像理解</translation>
    </message>
    <message>
        <source>vlm</source>
        <translation>图像问答</translation>
    </message>
    <message>
        <source>imagegen</source>
        <translation>图像生成</translation>
    </message>
    <message>
        <source>model load</source>
        <translation>模型加载</translation>
    </message>
    <message>
        <source>asr</source>
        <translation>语音识别</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>语言模型</translation>
    </message>
    <message>
        <source>tts</source>
        <translation>语音合成</translation>
    </message>
    <message>
        <source>width</source>
        <extracomment>The picture's settings, by their parameter names.</extracomment>
        <translation>宽度</translation>
    </message>
    <message>
        <source>height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>guidance</source>
        <translation>引导系数</translation>
    </message>
    <message>
        <source>scheduler</source>
        <translation>调度器</translation>
    </message>
    <message>
        <source>strength</source>
        <translation>强度</translation>
    </message>
    <message>
        <source>negative_prompt</source>
        <translation>反向提示词</translation>
    </message>
    <message>
        <source>From</source>
        <extracomment>The rows' names (the keys of ``DetailsPanel.values`` stay these English ones).</extracomment>
        <translation>来自</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Intent</source>
        <translation>意图</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Mood</source>
        <translation>情绪</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Voice latency</source>
        <translation>语音延迟</translation>
    </message>
    <message>
        <source>Timings</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评价</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>end of speech → reply heard</source>
        <translation>说完 → 听到回复</translation>
    </message>
    <message>
        <source>end of speech → transcript</source>
        <translation>说完 → 转写完成</translation>
    </message>
    <message>
        <source>→ first reply word</source>
        <translation>→ 回复的第一个词</translation>
    </message>
    <message>
        <source>→ first reply audio</source>
        <translation>→ 回复的第一段音频</translation>
    </message>
    <message>
        <source>waiting for the end</source>
        <translation>等待说完</translation>
    </message>
    <message>
        <source>speech recognition</source>
        <translation>语音识别</translation>
    </message>
    <message>
        <source>routing</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>first word written</source>
        <translation>写出第一个词</translation>
    </message>
    <message>
        <source>first words spoken</source>
        <translation>说出第一句</translation>
    </message>
    <message>
        <source>to the speaker</source>
        <translation>送到扬声器</translation>
    </message>
    <message>
        <source>Message details</source>
        <translation>消息详情</translation>
    </message>
    <message>
        <source>Mood over the conversation</source>
        <translation>对话中的情绪变化</translation>
    </message>
    <message>
        <source>Selected message</source>
        <translation>所选消息</translation>
    </message>
    <message>
        <source>Click a message to see how it was understood and answered.</source>
        <translation>点击一条消息，查看它是如何被理解和回答的。</translation>
    </message>
    <message>
        <source>Image evidence</source>
        <translation>图像依据</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to Sensorium</source>
        <translation>欢迎使用 Sensorium</translation>
    </message>
    <message>
        <source>First run</source>
        <translation>首次运行</translation>
    </message>
    <message>
        <source>Everything runs on this computer: what you say, show and draw stays here. Here is what is ready, and the models that suit this machine.</source>
        <translation>一切都在这台电脑上运行：你说的话、展示的图片和画的画都留在本机。下面是已就绪的内容，以及适合这台电脑的模型。</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Download the selected models</source>
        <translation>下载所选模型</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>Cancel the download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>The processor, the graphics card, and the models already here. Nothing is downloaded yet.</source>
        <translation>正在检查处理器、显卡和已有的模型。尚未下载任何内容。</translation>
    </message>
    <message>
        <source>Checking this computer</source>
        <translation>正在检查这台电脑</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>这台电脑</translation>
    </message>
    <message>
        <source>Recommendation</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Licences to note</source>
        <translation>需要留意的许可证</translation>
    </message>
    <message>
        <source>Download size and free space</source>
        <translation>下载大小和可用空间</translation>
    </message>
    <message>
        <source>Overall download progress</source>
        <translation>总体下载进度</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Checking this computer…</source>
        <translation>正在检查这台电脑…</translation>
    </message>
    <message>
        <source>Could not check this computer: {message}</source>
        <translation>无法检查这台电脑：{message}</translation>
    </message>
    <message>
        <source>{reason} Choose another model for a role, or untick it.</source>
        <translation>{reason}你可以为某个角色换用其他模型，或取消勾选。</translation>
    </message>
    <message>
        <source>{model}  (recommended)</source>
        <translation>{model}  （推荐）</translation>
    </message>
    <message>
        <source>{size} free in {folder}</source>
        <translation>{folder} 中可用 {size}</translation>
    </message>
    <message>
        <source>downloads go to {folder}</source>
        <translation>下载到 {folder}</translation>
    </message>
    <message>
        <source>To download: 1 model, {size}; {where}</source>
        <translation>待下载：1 个模型，{size}；{where}</translation>
    </message>
    <message>
        <source>To download: {n} models, {size}; {where}</source>
        <translation>待下载：{n} 个模型，{size}；{where}</translation>
    </message>
    <message>
        <source>Nothing to download; {where}</source>
        <translation>无需下载；{where}</translation>
    </message>
    <message>
        <source>Download 1 model ({size})</source>
        <translation>下载 1 个模型（{size}）</translation>
    </message>
    <message>
        <source>Download {n} models ({size})</source>
        <translation>下载 {n} 个模型（{size}）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{model}&lt;/b&gt; ({role}): {licence}: {terms}.</source>
        <translation>&lt;b&gt;{model}&lt;/b&gt;（{role}）：{licence}：{terms}。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <source>checking the disk space…</source>
        <translation>正在检查磁盘空间…</translation>
    </message>
    <message>
        <source>Cancelling the download…</source>
        <translation>正在取消下载…</translation>
    </message>
    <message>
        <source>{percent}  {done} of {total}</source>
        <translation>{percent}  {done} / {total}</translation>
    </message>
    <message>
        <source>The download stopped: {message}</source>
        <translation>下载已停止：{message}</translation>
    </message>
    <message>
        <source>Download cancelled. What came is kept, and Download resumes from there.</source>
        <translation>下载已取消。已下载的部分会保留，再次点击“下载”将从断点继续。</translation>
    </message>
    <message>
        <source>{n} downloaded</source>
        <translation>已下载 {n} 个</translation>
    </message>
    <message>
        <source>{n} failed</source>
        <translation>失败 {n} 个</translation>
    </message>
    <message>
        <source>{n} cancelled</source>
        <translation>已取消 {n} 个</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Download finished: {counts}. Each failed model says why on its row; Download tries again.</source>
        <translation>下载结束：{counts}。每个失败的模型都在其所在行说明了原因；点击“下载”可重试。</translation>
    </message>
    <message>
        <source>Download finished: {counts}.</source>
        <translation>下载结束：{counts}。</translation>
    </message>
    <message>
        <source>Sensorium {version} on {system}, Python {python}, {threads} CPU threads, {gpu}; device setting: {device}</source>
        <translation>Sensorium {version}，运行于 {system}，Python {python}，{threads} 个 CPU 线程，{gpu}；设备设置：{device}</translation>
    </message>
    <message>
        <source>NVIDIA driver {version}</source>
        <translation>NVIDIA 驱动 {version}</translation>
    </message>
    <message>
        <source>(version unknown)</source>
        <translation>（版本未知）</translation>
    </message>
    <message>
        <source>no NVIDIA GPU</source>
        <translation>无 NVIDIA GPU</translation>
    </message>
</context>
<context>
    <name>GenCard</name>
    <message>
        <source>Stopped.</source>
        <extracomment>The lines a stopped card shows (the bubble passes one of them, in English; the card translates it).</extracomment>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Could not draw the picture.</source>
        <translation>无法绘制这张图片。</translation>
    </message>
    <message>
        <source>Image generation</source>
        <translation>图像生成</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop drawing (Esc)</source>
        <translation>停止绘制（Esc）</translation>
    </message>
    <message>
        <source>Cancel image generation</source>
        <translation>取消图像生成</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Live preview</source>
        <translation>实时预览</translation>
    </message>
    <message>
        <source>Step %v of %m</source>
        <translation>第 %v 步，共 %m 步</translation>
    </message>
    <message>
        <source>Generation progress</source>
        <translation>生成进度</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Same prompt and settings, a new seed</source>
        <translation>相同的提示词和设置，换一个种子</translation>
    </message>
    <message>
        <source>Edit this</source>
        <translation>编辑这张</translation>
    </message>
    <message>
        <source>Change this picture: it becomes the input of your next message</source>
        <translation>修改这张图片：它会成为你下一条消息的输入</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Variations of this picture</source>
        <translation>这张图片的变体</translation>
    </message>
    <message>
        <source>Edit this picture</source>
        <translation>编辑这张图片</translation>
    </message>
    <message>
        <source>Save the picture as</source>
        <translation>将图片另存为</translation>
    </message>
    <message>
        <source>Copy the picture</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <source>Loading the image model…</source>
        <translation>正在加载图像模型…</translation>
    </message>
    <message>
        <source>Drawing “{prompt}”</source>
        <translation>正在绘制“{prompt}”</translation>
    </message>
    <message>
        <source>Drawing…</source>
        <translation>正在绘制…</translation>
    </message>
    <message>
        <source>{seconds} s so far</source>
        <translation>已用 {seconds} 秒</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>正在开始</translation>
    </message>
    <message>
        <source>drawing on the server, {waited}</source>
        <translation>正在服务器上绘制，{waited}</translation>
    </message>
    <message>
        <source>{count} images</source>
        <translation>{count} 张图片</translation>
    </message>
    <message>
        <source>about {seconds} s left</source>
        <translation>约剩 {seconds} 秒</translation>
    </message>
    <message>
        <source>almost done</source>
        <translation>即将完成</translation>
    </message>
    <message>
        <source>image {number} of {count}</source>
        <translation>第 {number} 张，共 {count} 张</translation>
    </message>
    <message>
        <source>Seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <source>{steps} steps</source>
        <translation>{steps} 步</translation>
    </message>
    <message>
        <source>guidance {guidance}</source>
        <translation>引导系数 {guidance}</translation>
    </message>
    <message>
        <source>flagged by the safety checker</source>
        <translation>被安全检查器标记</translation>
    </message>
</context>
<context>
    <name>ImageParams</name>
    <message>
        <source>Drawing parameters</source>
        <translation>绘图参数</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>Model default</source>
        <translation>模型默认</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Denoising steps: more is slower and usually cleaner</source>
        <translation>去噪步数：越多越慢，通常也越清晰</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>The same seed and settings give the same picture</source>
        <translation>相同的种子和设置会得到相同的图片</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>引导系数</translation>
    </message>
    <message>
        <source>How closely the picture follows the prompt</source>
        <translation>图片贴合提示词的程度</translation>
    </message>
    <message>
        <source>Best of</source>
        <translation>择优张数</translation>
    </message>
    <message>
        <source>Draw several and rank them by how well they match the prompt</source>
        <translation>绘制多张，并按与提示词的匹配程度排序</translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation>反向提示词</translation>
    </message>
    <message>
        <source>What the picture should not show</source>
        <translation>图片中不应出现的内容</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
</context>
<context>
    <name>IntentChoices</name>
    <message>
        <source>Talk about it</source>
        <extracomment>The readings' button labels as pipelines.router.INTENT_CHOICE_LABELS writes them (the question stores them in English): their source texts, so that lupdate finds them.</extracomment>
        <translation>聊聊这个</translation>
    </message>
    <message>
        <source>Draw it</source>
        <translation>画出来</translation>
    </message>
    <message>
        <source>Answer about the picture</source>
        <translation>回答关于图片的问题</translation>
    </message>
    <message>
        <source>Change the picture</source>
        <translation>修改图片</translation>
    </message>
    <message>
        <source>Search my pictures</source>
        <translation>搜索我的图片</translation>
    </message>
    <message>
        <source>Transcribe it</source>
        <translation>转写出来</translation>
    </message>
</context>
<context>
    <name>ModelStatusBar</name>
    <message>
        <source>Speech</source>
        <extracomment>The roles' short names (English source texts: show them with translate("ModelStatusBar", ...)).</extracomment>
        <translation>语音</translation>
    </message>
    <message>
        <source>Vision</source>
        <translation>视觉</translation>
    </message>
    <message>
        <source>Image Q&amp;A</source>
        <translation>图像问答</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Drawing</source>
        <translation>绘图</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>声音</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>ready (on {host})</source>
        <translation>就绪（在 {host}）</translation>
    </message>
    <message>
        <source>ready (on a server)</source>
        <translation>就绪（在服务器上）</translation>
    </message>
    <message>
        <source>ready ({device})</source>
        <translation>就绪（{device}）</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>loading {percent}</source>
        <translation>加载中 {percent}</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>downloading {percent}</source>
        <translation>下载中 {percent}</translation>
    </message>
    <message>
        <source>downloading…</source>
        <translation>下载中…</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <source>{role} model status</source>
        <translation>{role}模型状态</translation>
    </message>
    <message>
        <source>{role}: {state}</source>
        <translation>{role}：{state}</translation>
    </message>
    <message>
        <source>{role} model: {state}</source>
        <translation>{role}模型：{state}</translation>
    </message>
    <message>
        <source>Open Models… to choose, download or fix it.</source>
        <translation>打开“模型…”来选择、下载或修复它。</translation>
    </message>
</context>
<context>
    <name>MoodChart</name>
    <message>
        <source>Mood chart</source>
        <translation>情绪图表</translation>
    </message>
    <message>
        <source>your messages, oldest to newest</source>
        <translation>你的消息，从旧到新</translation>
    </message>
    <message>
        <source>The mood of your messages appears here as you write</source>
        <translation>你写消息时，它们的情绪会显示在这里</translation>
    </message>
    <message>
        <source>Message {number} · mood {score}</source>
        <translation>消息 {number} · 情绪 {score}</translation>
    </message>
</context>
<context>
    <name>PromptEdit</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Message Sensorium…  (Shift+Enter: new line)</source>
        <translation>给 Sensorium 发消息…  （Shift+Enter：换行）</translation>
    </message>
    <message>
        <source>Enter sends (after the current reply), Ctrl+Enter sends now and stops the current reply, Shift+Enter adds a line</source>
        <translation>Enter 发送（在当前回复之后），Ctrl+Enter 立即发送并停止当前回复，Shift+Enter 换行</translation>
    </message>
</context>
<context>
    <name>QuestionCard</name>
    <message>
        <source>Sensorium asks: did you mean {choices}?</source>
        <translation>Sensorium 想确认：你的意思是{choices}？</translation>
    </message>
    <message>
        <source> or </source>
        <translation>还是</translation>
    </message>
    <message>
        <source>Did you mean…</source>
        <translation>你的意思是…</translation>
    </message>
    <message>
        <source>About {percent} likely ({key})</source>
        <translation>可能性约 {percent}（{key}）</translation>
    </message>
    <message>
        <source>about {percent} likely; {key}</source>
        <translation>可能性约 {percent}；{key}</translation>
    </message>
    <message>
        <source>Your request could be read either way. Pick one ({keys}): Sensorium remembers it for requests like this one.</source>
        <translation>你的请求可以有两种理解。请选一种（{keys}）：Sensorium 会在类似的请求中记住你的选择。</translation>
    </message>
    <message>
        <source>You went on without choosing; the question stays in the conversation.</source>
        <translation>你没有选择就继续了；这个问题会保留在对话中。</translation>
    </message>
</context>
<context>
    <name>RoleRow</name>
    <message>
        <source>Chat</source>
        <extracomment>The roles in the order the screen lists them (English source texts: shown with translate("RoleRow", ...)).</extracomment>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Speech recognition</source>
        <translation>语音识别</translation>
    </message>
    <message>
        <source>Speech synthesis</source>
        <translation>语音合成</translation>
    </message>
    <message>
        <source>Image understanding</source>
        <translation>图像理解</translation>
    </message>
    <message>
        <source>Image questions</source>
        <translation>图像问答</translation>
    </message>
    <message>
        <source>Drawing</source>
        <translation>图像生成</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>文本嵌入</translation>
    </message>
    <message>
        <source>Ready now</source>
        <translation>已就绪</translation>
    </message>
    <message>
        <source>Needs a download</source>
        <translation>需要下载</translation>
    </message>
    <message>
        <source>Not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <source>Damaged: checksum mismatch</source>
        <translation>已损坏：校验和不匹配</translation>
    </message>
    <message>
        <source>{role} status</source>
        <translation>{role}状态</translation>
    </message>
    <message>
        <source>{role} model</source>
        <translation>{role}模型</translation>
    </message>
    <message>
        <source>{role} download size</source>
        <translation>{role}下载大小</translation>
    </message>
    <message>
        <source>{role} model licence</source>
        <translation>{role}模型许可证</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Download the {role} model</source>
        <translation>下载{role}模型</translation>
    </message>
    <message>
        <source>{role} model availability</source>
        <translation>{role}模型是否可用</translation>
    </message>
    <message>
        <source>{role} download progress</source>
        <translation>{role}下载进度</translation>
    </message>
    <message>
        <source>{role} download result</source>
        <translation>{role}下载结果</translation>
    </message>
    <message>
        <source>No model chosen</source>
        <translation>未选择模型</translation>
    </message>
    <message>
        <source>Uses the server at {server}</source>
        <translation>使用 {server} 上的服务器</translation>
    </message>
    <message>
        <source>{state}: {model}</source>
        <translation>{state}：{model}</translation>
    </message>
    <message>
        <source>your own files</source>
        <translation>你自己的文件</translation>
    </message>
    <message>
        <source>Model card: {url}</source>
        <translation>模型卡片：{url}</translation>
    </message>
    <message>
        <source>{licence}: {terms}</source>
        <translation>{licence}：{terms}</translation>
    </message>
    <message>
        <source>On this computer</source>
        <translation>已在这台电脑上</translation>
    </message>
    <message>
        <source>{model} comes with Sensorium's Python packages: reinstall them (make run)</source>
        <translation>{model} 随 Sensorium 的 Python 包提供：请重新安装这些包（make run）</translation>
    </message>
</context>
<context>
    <name>catalog</name>
    <message>
        <source>An NVIDIA GPU with {gb} GB of memory was found, so these are the largest models that fit on it together.</source>
        <translation>检测到一块显存为 {gb} GB 的 NVIDIA GPU，因此推荐能同时装入其中的最大模型。</translation>
    </message>
    <message>
        <source>An NVIDIA GPU with {gb} GB of memory was found, so these are the standard GPU models.</source>
        <translation>检测到一块显存为 {gb} GB 的 NVIDIA GPU，因此推荐标准 GPU 模型。</translation>
    </message>
    <message>
        <source>Not enough disk space: the download needs {needed} and {folder} has {free} free; free some space or choose smaller models.</source>
        <translation>磁盘空间不足：下载需要 {needed}，而 {folder} 只有 {free} 可用；请释放一些空间或选择更小的模型。</translation>
    </message>
    <message>
        <source>{licence} (see the model card)</source>
        <translation>{licence}（参见模型卡片）</translation>
    </message>
</context>
</TS>