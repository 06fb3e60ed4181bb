<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QDialog</name>
    <message>
        <source>any</source>
        <translation>任意</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Use the system&apos;s language when it is translated, else English</source>
        <translation>如有该系统语言的翻译则使用系统语言，否则使用英语</translation>
    </message>
    <message>
        <source>Show the workstation in %1 from the next start</source>
        <translation>下次启动起以%1显示工作站</translation>
    </message>
    <message>
        <source>The language changes at the next start of the workstation.</source>
        <translation>语言将在工作站下次启动时更改。</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>PRIOR — %1 — %2</source>
        <translation>既往检查 — %1 — %2</translation>
    </message>
    <message numerus="yes">
        <source>Too many failed attempts: wait %n s before trying again.</source>
        <translation>
            <numerusform>失败次数过多：请等待 %n 秒后再试。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (built-in)</source>
        <translation>%1（内置）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>RoleHints</name>
    <message>
        <source>admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>radiologist</source>
        <translation>放射科医师</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>无角色</translation>
    </message>
    <message>
        <source>Signing needs the radiologist role; %1 has: %2</source>
        <translation>签署需要放射科医师角色；%1 的角色：%2</translation>
    </message>
    <message>
        <source>%1 needs the admin role; %2 has: %3</source>
        <translation>%1需要管理员角色；%2 的角色：%3</translation>
    </message>
</context>
<context>
    <name>fedmrg</name>
    <message>
        <source>FedMRG Workstation: open chest X-ray studies, draft, edit and sign reports.
Generated reports are drafts; a radiologist reviews and signs every report.

Demo mode creates or opens a demo site whose passphrase is &quot;fedmrg-demo-passphrase&quot;
and whose user is &quot;demo&quot; / &quot;demo-password&quot;. Never keep real data in a demo site.</source>
        <translation>FedMRG 工作站：打开胸部 X 线检查，起草、编辑并签署报告。
生成的报告均为草稿；每份报告均由放射科医师审核并签署。

演示模式会创建或打开一个演示站点，其口令为 &quot;fedmrg-demo-passphrase&quot;，
用户为 &quot;demo&quot; / &quot;demo-password&quot;。切勿在演示站点中保存真实数据。</translation>
    </message>
    <message>
        <source>Site folder (default: the user&apos;s data folder).</source>
        <translation>站点文件夹（默认：用户的数据文件夹）。</translation>
    </message>
    <message>
        <source>Open or create a demo site in DIR (demo passphrase, demo user).</source>
        <translation>在 DIR 中打开或创建演示站点（演示口令、演示用户）。</translation>
    </message>
    <message>
        <source>Report model folder for drafts (default: $FEDMRG_MODEL_DIR, else &lt;site&gt;/model when it exists, else the installed default model, &lt;prefix&gt;/share/fedmrg/models/default).</source>
        <translation>用于生成草稿的报告模型文件夹（默认：$FEDMRG_MODEL_DIR；否则为存在时的 &lt;site&gt;/model；再否则为已安装的默认模型 &lt;prefix&gt;/share/fedmrg/models/default）。</translation>
    </message>
    <message>
        <source>Import DICOM files, folders or a DICOMDIR at start (repeatable).</source>
        <translation>启动时导入 DICOM 文件、文件夹或 DICOMDIR（可重复）。</translation>
    </message>
    <message>
        <source>Save a PNG of the main window once the first study&apos;s image has rendered.</source>
        <translation>首个检查的图像显示后，将主窗口保存为 PNG。</translation>
    </message>
    <message>
        <source>Benchmark: open the site&apos;s studies N times, print selection-to-rendered times, exit.</source>
        <translation>基准测试：将站点的检查打开 N 次，输出从选择到显示的时间，然后退出。</translation>
    </message>
    <message>
        <source>DICOM files or folders to import once the site is open; the first one&apos;s study is opened.</source>
        <translation>站点打开后要导入的 DICOM 文件或文件夹；将打开第一个文件所属的检查。</translation>
    </message>
    <message>
        <source>the demo site has no study to show; pass --import DICOM_DIR</source>
        <translation>演示站点没有可显示的检查；请使用 --import DICOM_DIR</translation>
    </message>
    <message>
        <source>the image did not render within 20 s</source>
        <translation>图像未在 20 秒内显示</translation>
    </message>
    <message>
        <source>cannot write the screenshot %1</source>
        <translation>无法写入截图 %1</translation>
    </message>
    <message>
        <source>no display. The workstation needs X (the image view uses OpenGL); on a machine without one,
run it under Xvfb: xvfb-run -a -s &quot;-screen 0 1600x1000x24&quot; fedmrg ...</source>
        <translation>没有显示器。工作站需要 X（图像视图使用 OpenGL）；在没有 X 的机器上，
请在 Xvfb 下运行：xvfb-run -a -s &quot;-screen 0 1600x1000x24&quot; fedmrg ...</translation>
    </message>
    <message>
        <source>FedMRG Workstation</source>
        <translation>FedMRG 工作站</translation>
    </message>
    <message>
        <source>The site could not be opened: %1</source>
        <translation>无法打开站点：%1</translation>
    </message>
    <message>
        <source>Exit after saving the screenshot(s).</source>
        <translation>保存截图后退出。</translation>
    </message>
    <message>
        <source>Demo: take part in the local demo federation in DIR (scripts/demo-federation.sh): its coordinator, the demo site&apos;s certificates, every round.</source>
        <translation>演示：参与 DIR 中的本地演示联邦（scripts/demo-federation.sh）：其协调器、演示站点的证书、每一轮。</translation>
    </message>
    <message>
        <source>Demo: sign a few of FL-MRG-Synth&apos;s reference reports (reports.jsonl) of imported studies final, so that background training starts soon (repeatable).</source>
        <translation>演示：将已导入检查的若干 FL-MRG-Synth 参考报告（reports.jsonl）签署为最终版，使后台训练尽快开始（可重复）。</translation>
    </message>
    <message>
        <source>Also save a PNG of the main window once background training is a fifth of the way through a run.</source>
        <translation>后台训练完成一次运行的五分之一时，另存主窗口的 PNG 截图。</translation>
    </message>
    <message>
        <source>Also save a PNG of the federation panel&apos;s status once the site recorded a round.</source>
        <translation>站点记录一轮后，另存联邦面板状态页的 PNG 截图。</translation>
    </message>
    <message>
        <source>Seconds each of those screenshots waits for its event before it shoots what there is (default 600).</source>
        <translation>每张截图等待其事件的秒数，超时后按当前画面截图（默认 600）。</translation>
    </message>
    <message>
        <source>Signed %1 synthetic reference reports final for the demo</source>
        <translation>已为演示将 %1 份合成参考报告签署为最终版</translation>
    </message>
    <message>
        <source>--screenshot-wait: &apos;%1&apos; is not a number of seconds</source>
        <translation>--screenshot-wait：“%1”不是秒数</translation>
    </message>
    <message>
        <source>Background training reported no step within %1 s (%2 signed reports pending); the screenshot shows the status bar as it is</source>
        <translation>后台训练在 %1 秒内没有报告任何步骤（%2 份已签署报告待处理）；截图按状态栏当前状态拍摄</translation>
    </message>
    <message>
        <source>The site recorded no federation round within %1 s; the panel shows the coordinator&apos;s state without the site&apos;s bytes</source>
        <translation>站点在 %1 秒内没有记录任何联邦轮次；面板显示协调器的状态，不含本站点的字节数</translation>
    </message>
    <message>
        <source>the federation panel did not open (%1)</source>
        <translation>联邦面板未能打开（%1）</translation>
    </message>
    <message>
        <source>The site made no gate decision on a new global version within %1 s; the panel shows its state as it is</source>
        <translation>站点在 %1 秒内没有对新的全局版本作出质量门决定；面板按当前状态显示</translation>
    </message>
</context>
<context>
    <name>fedmrg::app::WorklistFilter</name>
    <message>
        <source>The open study: listed although the search or the status filter hides it</source>
        <translation>当前打开的检查：虽被搜索或状态筛选隐藏，仍列出</translation>
    </message>
</context>
<context>
    <name>fedmrg::app::WorklistModel</name>
    <message>
        <source>Earlier studies of the same patient (same ID, or same name and birth date)</source>
        <translation>同一患者的既往检查（相同 ID，或相同姓名和出生日期）</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>检查设备</translation>
    </message>
    <message>
        <source>Body part</source>
        <translation>检查部位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Priors</source>
        <translation>既往检查</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::ActionHints</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::AuditLogDialog</name>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>This study</source>
        <translation>本检查</translation>
    </message>
    <message>
        <source>All studies</source>
        <translation>所有检查</translation>
    </message>
    <message>
        <source>anyone</source>
        <translation>所有用户</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>any action</source>
        <translation>任何操作</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>patient name or ID, accession, detail</source>
        <translation>患者姓名或 ID、检查号、详情</translation>
    </message>
    <message>
        <source>Studies</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>From</source>
        <translation>自</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Study</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save the entries shown as a CSV file</source>
        <translation>将显示的条目保存为 CSV 文件</translation>
    </message>
    <message>
        <source>Close the audit log (Esc)</source>
        <translation>关闭审计日志（Esc）</translation>
    </message>
    <message>
        <source>Open a study to read its audit log.</source>
        <translation>请打开一个检查以查看其审计日志。</translation>
    </message>
    <message>
        <source>The newest %1 entries; narrow the filter to see older ones.</source>
        <translation>最新的 %1 条记录；缩小筛选范围可查看更早的记录。</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n 条记录</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n entries to %1.</source>
        <translation>
            <numerusform>已将 %n 条记录导出到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the audit entries of all studies</source>
        <translation>查看所有检查的审计记录</translation>
    </message>
    <message>
        <source>Exporting the audit log</source>
        <translation>导出审计日志</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::FederationPanel</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose the file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Federation</source>
        <translation>联邦学习</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Participation</source>
        <translation>参与</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Model versions</source>
        <translation>模型版本</translation>
    </message>
    <message>
        <source>host:port, e.g. coordinator.example.org:50051</source>
        <translation>主机:端口，例如 coordinator.example.org:50051</translation>
    </message>
    <message>
        <source>The consortium coordinator&apos;s address</source>
        <translation>联盟协调器的地址</translation>
    </message>
    <message>
        <source>Coordinator:</source>
        <translation>协调器：</translation>
    </message>
    <message>
        <source>CA certificate:</source>
        <translation>CA 证书：</translation>
    </message>
    <message>
        <source>The consortium CA&apos;s certificate (PEM)</source>
        <translation>联盟 CA 的证书（PEM）</translation>
    </message>
    <message>
        <source>Site certificate:</source>
        <translation>站点证书：</translation>
    </message>
    <message>
        <source>This site&apos;s certificate (PEM)</source>
        <translation>本站点的证书（PEM）</translation>
    </message>
    <message>
        <source>Site private key:</source>
        <translation>站点私钥：</translation>
    </message>
    <message>
        <source>This site&apos;s private key (PEM)</source>
        <translation>本站点的私钥（PEM）</translation>
    </message>
    <message>
        <source>&amp;Import certificates</source>
        <translation>导入证书(&amp;I)</translation>
    </message>
    <message>
        <source>Check the three files (key matches certificate, signed by the CA, not expired) and keep private copies in the site folder</source>
        <translation>检查这三个文件（私钥与证书匹配、由 CA 签发、未过期），并在站点文件夹中保存私有副本</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>Ask the coordinator for its status over mutual TLS</source>
        <translation>通过双向 TLS 向协调器查询其状态</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Store the address and the participation settings</source>
        <translation>保存地址和参与设置</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>加入(&amp;J)</translation>
    </message>
    <message>
        <source>Register this site with the coordinator</source>
        <translation>在协调器上注册本站点</translation>
    </message>
    <message>
        <source>&amp;Leave</source>
        <translation>退出(&amp;L)</translation>
    </message>
    <message>
        <source>Stop taking part in rounds (the coordinator keeps the site&apos;s registration)</source>
        <translation>停止参与轮次（协调器保留本站点的注册）</translation>
    </message>
    <message>
        <source>Membership:</source>
        <translation>成员状态：</translation>
    </message>
    <message>
        <source>Approve each round</source>
        <translation>逐轮批准</translation>
    </message>
    <message>
        <source>Take part in every round</source>
        <translation>参与每一轮</translation>
    </message>
    <message>
        <source>Whether the site trains and uploads for each round by itself</source>
        <translation>站点是否在每一轮自动训练并上传</translation>
    </message>
    <message>
        <source>Rounds:</source>
        <translation>轮次：</translation>
    </message>
    <message>
        <source>First hour (local time) the site may train and sync</source>
        <translation>允许站点训练和同步的起始小时（本地时间）</translation>
    </message>
    <message>
        <source>Hour (local time) training and syncing stop; before the first hour: overnight</source>
        <translation>训练和同步停止的小时（本地时间）；早于起始小时表示跨夜</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Schedule (hours):</source>
        <translation>时间安排（小时）：</translation>
    </message>
    <message>
        <source> kbit/s</source>
        <translation> kbit/s</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Upload and download cap; 0: no cap</source>
        <translation>上传和下载速率上限；0：不限</translation>
    </message>
    <message>
        <source>Bandwidth cap:</source>
        <translation>带宽上限：</translation>
    </message>
    <message>
        <source>Take part only in rounds with central differential privacy</source>
        <translation>仅参与采用中心化差分隐私的轮次</translation>
    </message>
    <message>
        <source>The coordinator clips each update and adds noise to the mean; a site cannot add it alone</source>
        <translation>协调器会裁剪每个更新并向均值添加噪声；单个站点无法独自实现</translation>
    </message>
    <message>
        <source>Privacy:</source>
        <translation>隐私：</translation>
    </message>
    <message>
        <source>&amp;Approve round</source>
        <translation>批准本轮(&amp;A)</translation>
    </message>
    <message>
        <source>Allow this round&apos;s training and upload (with &apos;Approve each round&apos;)</source>
        <translation>允许本轮的训练和上传（在“逐轮批准”模式下）</translation>
    </message>
    <message>
        <source>Approval:</source>
        <translation>批准：</translation>
    </message>
    <message>
        <source>Current round:</source>
        <translation>当前轮次：</translation>
    </message>
    <message>
        <source>Last sync:</source>
        <translation>上次同步：</translation>
    </message>
    <message>
        <source>Global model version:</source>
        <translation>全局模型版本：</translation>
    </message>
    <message>
        <source>Bytes per round</source>
        <translation>每轮字节数</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Gate</source>
        <translation>质量检查</translation>
    </message>
    <message>
        <source>CE-F1 (held back)</source>
        <translation>CE-F1（留出集）</translation>
    </message>
    <message>
        <source>Drafting</source>
        <translation>用于草稿</translation>
    </message>
    <message>
        <source>&amp;Use for drafts</source>
        <translation>用于草稿(&amp;U)</translation>
    </message>
    <message>
        <source>Make the selected version the one drafts use (logged)</source>
        <translation>将所选版本设为生成草稿所用的版本（记入日志）</translation>
    </message>
    <message>
        <source>&amp;Roll back</source>
        <translation>回滚(&amp;R)</translation>
    </message>
    <message>
        <source>Return to the version used before the current one (logged)</source>
        <translation>恢复到当前版本之前使用的版本（记入日志）</translation>
    </message>
    <message>
        <source>joined</source>
        <translation>已加入</translation>
    </message>
    <message>
        <source>not joined</source>
        <translation>未加入</translation>
    </message>
    <message>
        <source>site %1, valid until %2</source>
        <translation>站点 %1，有效期至 %2</translation>
    </message>
    <message>
        <source>no certificates imported</source>
        <translation>未导入证书</translation>
    </message>
    <message>
        <source>unknown (no answer from the coordinator yet)</source>
        <translation>未知（协调器尚未应答）</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>round %1 (%2)</source>
        <translation>第 %1 轮（%2）</translation>
    </message>
    <message>
        <source>The coordinator runs central differential privacy.</source>
        <translation>协调器采用中心化差分隐私。</translation>
    </message>
    <message>
        <source>The coordinator did not say it runs central differential privacy.</source>
        <translation>协调器未表明其采用中心化差分隐私。</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>KiB</source>
        <translation>KiB</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>未检查</translation>
    </message>
    <message>
        <source>%1 on %2 reports</source>
        <translation>%1（%2 份报告）</translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>未评分</translation>
    </message>
    <message>
        <source>active</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>Certificates checked and imported.</source>
        <translation>证书已检查并导入。</translation>
    </message>
    <message>
        <source>Federation settings saved.</source>
        <translation>联邦学习设置已保存。</translation>
    </message>
    <message>
        <source>Asking the coordinator…</source>
        <translation>正在询问协调器…</translation>
    </message>
    <message>
        <source>Joined the federation.</source>
        <translation>已加入联邦学习。</translation>
    </message>
    <message>
        <source>Left the federation: the site takes part in no further round.</source>
        <translation>已退出联邦学习：本站点不再参与后续轮次。</translation>
    </message>
    <message>
        <source>Round %1 approved.</source>
        <translation>第 %1 轮已批准。</translation>
    </message>
    <message>
        <source>Select a model version first.</source>
        <translation>请先选择一个模型版本。</translation>
    </message>
    <message>
        <source>Drafts now use v%1.</source>
        <translation>草稿现在使用 v%1。</translation>
    </message>
    <message>
        <source>Rolled back: drafts now use %1.</source>
        <translation>已回滚：草稿现在使用 %1。</translation>
    </message>
    <message>
        <source>not taking part</source>
        <translation>未参与</translation>
    </message>
    <message>
        <source>waiting for a round</source>
        <translation>等待新一轮</translation>
    </message>
    <message>
        <source>waiting for your approval</source>
        <translation>等待您的批准</translation>
    </message>
    <message>
        <source>sitting this round out</source>
        <translation>本轮不参与</translation>
    </message>
    <message>
        <source>training</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <source>uploading</source>
        <translation>正在上传</translation>
    </message>
    <message>
        <source>downloading the global version</source>
        <translation>正在下载全局版本</translation>
    </message>
    <message>
        <source>checking the new version on held-back reports</source>
        <translation>正在用留出的报告检查新版本</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>not running in this window</source>
        <translation>未在此窗口中运行</translation>
    </message>
    <message>
        <source>Appro&amp;ve this round</source>
        <translation>批准本轮(&amp;V)</translation>
    </message>
    <message>
        <source>Allow the round the site waits on to train and upload (logged)</source>
        <translation>允许站点正在等待的这一轮进行训练和上传（记入日志）</translation>
    </message>
    <message>
        <source>This site:</source>
        <translation>本站点：</translation>
    </message>
    <message>
        <source>Last new version:</source>
        <translation>最近的新版本：</translation>
    </message>
    <message>
        <source>%1, round %2</source>
        <translation>%1，第 %2 轮</translation>
    </message>
    <message>
        <source>, step %1 of %2</source>
        <translation>，第 %1/%2 步</translation>
    </message>
    <message>
        <source>: %1</source>
        <translation>：%1</translation>
    </message>
    <message>
        <source>Appro&amp;ve round %1</source>
        <translation>批准第 %1 轮(&amp;V)</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>No round waits for approval.</source>
        <translation>没有等待批准的轮次。</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::FindingChip</name>
    <message>
        <source>Click or Space: blank, positive, negative, uncertain. P / N / U: positive / negative / uncertain, Delete: blank, arrows: next chip, Esc: back to the text</source>
        <translation>单击或空格：空白、阳性、阴性、不确定。P / N / U：阳性 / 阴性 / 不确定，Delete：空白，方向键：下一个标签，Esc：返回文本</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::FindingText</name>
    <message>
        <source>No Finding</source>
        <translation>无异常发现</translation>
    </message>
    <message>
        <source>Enlarged Cardiomediastinum</source>
        <translation>心纵隔增宽</translation>
    </message>
    <message>
        <source>Cardiomegaly</source>
        <translation>心脏增大</translation>
    </message>
    <message>
        <source>Lung Lesion</source>
        <translation>肺部病变</translation>
    </message>
    <message>
        <source>Lung Opacity</source>
        <translation>肺部阴影</translation>
    </message>
    <message>
        <source>Edema</source>
        <translation>水肿</translation>
    </message>
    <message>
        <source>Consolidation</source>
        <translation>实变</translation>
    </message>
    <message>
        <source>Pneumonia</source>
        <translation>肺炎</translation>
    </message>
    <message>
        <source>Atelectasis</source>
        <translation>肺不张</translation>
    </message>
    <message>
        <source>Pneumothorax</source>
        <translation>气胸</translation>
    </message>
    <message>
        <source>Pleural Effusion</source>
        <translation>胸腔积液</translation>
    </message>
    <message>
        <source>Pleural Other</source>
        <translation>其他胸膜病变</translation>
    </message>
    <message>
        <source>Fracture</source>
        <translation>骨折</translation>
    </message>
    <message>
        <source>Support Devices</source>
        <translation>医疗装置</translation>
    </message>
    <message>
        <source>blank</source>
        <translation>空白</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>阳性</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>阴性</translation>
    </message>
    <message>
        <source>uncertain</source>
        <translation>不确定</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::ImageViewer</name>
    <message>
        <source>Image viewer</source>
        <translation>图像查看器</translation>
    </message>
    <message>
        <source>W %1  L %2%3
Zoom %4%</source>
        <translation>窗宽 %1  窗位 %2%3
缩放 %4%</translation>
    </message>
    <message>
        <source>  inverted</source>
        <translation>  已反相</translation>
    </message>
    <message>
        <source>%1 x %2 px
%3 x %4 mm/px%5</source>
        <translation>%1 x %2 像素
%3 x %4 毫米/像素%5</translation>
    </message>
    <message>
        <source> (imager)</source>
        <translation>（探测器）</translation>
    </message>
    <message>
        <source>%1 x %2 px
no pixel spacing</source>
        <translation>%1 x %2 像素
无像素间距</translation>
    </message>
    <message>
        <source>%1 stored measurement(s) cannot be shown: %2</source>
        <translation>%1 项已保存的测量无法显示：%2</translation>
    </message>
    <message>
        <source>Measurements could not be read: %1</source>
        <translation>无法读取测量：%1</translation>
    </message>
    <message>
        <source>The measurement was not saved: %1</source>
        <translation>测量未保存：%1</translation>
    </message>
    <message>
        <source>The measurement was not removed: %1</source>
        <translation>测量未删除：%1</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign in to %1.</source>
        <translation>登录到 %1。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::MainWindow</name>
    <message>
        <source>move in the worklist: the study under the cursor opens</source>
        <translation>在工作列表中移动：光标所在的检查随即打开</translation>
    </message>
    <message>
        <source>next / previous study, wherever the focus is (unsaved text is kept)</source>
        <translation>下一个 / 上一个检查，无论焦点在何处（未保存的文本会保留）</translation>
    </message>
    <message>
        <source>search the worklist</source>
        <translation>搜索工作列表</translation>
    </message>
    <message>
        <source>import files / a folder (or drop them on the window)</source>
        <translation>导入文件 / 文件夹（或拖放到窗口上）</translation>
    </message>
    <message>
        <source>the last import&apos;s report</source>
        <translation>上次导入的报告</translation>
    </message>
    <message>
        <source>users and roles (administrators)</source>
        <translation>用户和角色（管理员）</translation>
    </message>
    <message>
        <source>quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>window / level (right: wider, down: darker, for MONOCHROME1 too)</source>
        <translation>窗宽 / 窗位（向右：更宽，向下：更暗，MONOCHROME1 亦同）</translation>
    </message>
    <message>
        <source>pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <source>zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>presets: lung, mediastinum, bone (anywhere; 1 / 2 / 3 in the viewer)</source>
        <translation>预设：肺窗、纵隔窗、骨窗（任意位置；在查看器中按 1 / 2 / 3）</translation>
    </message>
    <message>
        <source>invert (anywhere; I in the viewer)</source>
        <translation>反相（任意位置；在查看器中按 I）</translation>
    </message>
    <message>
        <source>overlays on / off (anywhere; O in the viewer)</source>
        <translation>叠加信息开 / 关（任意位置；在查看器中按 O）</translation>
    </message>
    <message>
        <source>fit the image to the view (anywhere; F in the viewer)</source>
        <translation>图像适应视图（任意位置；在查看器中按 F）</translation>
    </message>
    <message>
        <source>reset window, zoom and pan (anywhere; R in the viewer)</source>
        <translation>重置窗宽窗位、缩放和平移（任意位置；在查看器中按 R）</translation>
    </message>
    <message>
        <source>actual pixels (1:1): one image pixel on one screen pixel</source>
        <translation>实际像素（1:1）：一个图像像素对应一个屏幕像素</translation>
    </message>
    <message>
        <source>measure a distance / an angle / the cardiothoracic ratio (then click on the image)</source>
        <translation>测量距离 / 角度 / 心胸比（然后在图像上单击）</translation>
    </message>
    <message>
        <source>in the viewer: cancel the measurement in progress / remove the selected or last one</source>
        <translation>在查看器中：取消进行中的测量 / 删除所选或最后一项测量</translation>
    </message>
    <message>
        <source>insert the image&apos;s measurements into the report&apos;s findings</source>
        <translation>将图像的测量结果插入报告的所见中</translation>
    </message>
    <message>
        <source>the prior study side by side on / off</source>
        <translation>并排显示既往检查 开 / 关</translation>
    </message>
    <message>
        <source>the prior&apos;s signed report (Copy to COMPARISON)</source>
        <translation>既往检查的已签署报告（复制到 COMPARISON）</translation>
    </message>
    <message>
        <source>generate a draft</source>
        <translation>生成草稿</translation>
    </message>
    <message>
        <source>save the report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <source>sign preliminary / final</source>
        <translation>初步签署 / 最终签署</translation>
    </message>
    <message>
        <source>sign final and open the next study still to sign</source>
        <translation>最终签署并打开下一个待签署的检查</translation>
    </message>
    <message>
        <source>insert a template: type to filter, Enter inserts</source>
        <translation>插入模板：输入以筛选，回车插入</translation>
    </message>
    <message>
        <source>insert the normal chest macro</source>
        <translation>插入胸部正常模板</translation>
    </message>
    <message>
        <source>manage your templates</source>
        <translation>管理您的模板</translation>
    </message>
    <message>
        <source>to the chips: Space cycles, P / N / U positive / negative / uncertain, Delete blank, arrows move, Esc back</source>
        <translation>转到标签：空格循环切换，P / N / U 阳性 / 阴性 / 不确定，Delete 清空，方向键移动，Esc 返回</translation>
    </message>
    <message>
        <source>undo in the text (also a draft or a template, with the chips it set)</source>
        <translation>在文本中撤销（也可撤销草稿或模板及其设置的标签）</translation>
    </message>
    <message>
        <source>add an addendum to the final report</source>
        <translation>为最终报告添加补充</translation>
    </message>
    <message>
        <source>export the final report as DICOM SR</source>
        <translation>将最终报告导出为 DICOM SR</translation>
    </message>
    <message>
        <source>versions and differences</source>
        <translation>版本与差异</translation>
    </message>
    <message>
        <source>audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>the PACS query panel on / off (search, retrieve into the worklist)</source>
        <translation>PACS 查询面板 开 / 关（搜索，检索到工作列表）</translation>
    </message>
    <message>
        <source>send the final report to the PACS</source>
        <translation>将最终报告发送到 PACS</translation>
    </message>
    <message>
        <source>retry the reports waiting for the PACS now</source>
        <translation>立即重试等待发送到 PACS 的报告</translation>
    </message>
    <message>
        <source>PACS settings</source>
        <translation>PACS 设置</translation>
    </message>
    <message>
        <source>this list</source>
        <translation>本列表</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>preliminary</source>
        <translation>初步</translation>
    </message>
    <message>
        <source>final</source>
        <translation>最终</translation>
    </message>
    <message>
        <source>FedMRG Workstation — %1 — %2</source>
        <translation>FedMRG 工作站 — %1 — %2</translation>
    </message>
    <message>
        <source>Search patient, ID, description…</source>
        <translation>搜索患者、ID、描述…</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>所有状态</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Import &amp;files…</source>
        <translation>导入文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <source>Import DICOM files or a DICOMDIR</source>
        <translation>导入 DICOM 文件或 DICOMDIR</translation>
    </message>
    <message>
        <source>Import f&amp;older…</source>
        <translation>导入文件夹(&amp;O)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Import a DICOM folder</source>
        <translation>导入 DICOM 文件夹</translation>
    </message>
    <message>
        <source>Last import &amp;report</source>
        <translation>上次导入报告(&amp;R)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+I</source>
        <translation>Ctrl+Shift+I</translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation>用户(&amp;U)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+U</source>
        <translation>Ctrl+Shift+U</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Worklist</source>
        <translation>工作列表(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Next study</source>
        <translation>下一个检查(&amp;N)</translation>
    </message>
    <message>
        <source>Alt+Down</source>
        <translation>Alt+Down</translation>
    </message>
    <message>
        <source>&amp;Previous study</source>
        <translation>上一个检查(&amp;P)</translation>
    </message>
    <message>
        <source>Alt+Up</source>
        <translation>Alt+Up</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Lung preset</source>
        <translation>肺窗预设</translation>
    </message>
    <message>
        <source>Alt+1</source>
        <translation>Alt+1</translation>
    </message>
    <message>
        <source>Mediastinum preset</source>
        <translation>纵隔窗预设</translation>
    </message>
    <message>
        <source>Alt+2</source>
        <translation>Alt+2</translation>
    </message>
    <message>
        <source>Bone preset</source>
        <translation>骨窗预设</translation>
    </message>
    <message>
        <source>Alt+3</source>
        <translation>Alt+3</translation>
    </message>
    <message>
        <source>Fit to the view</source>
        <translation>适应视图</translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <source>Reset window and view</source>
        <translation>重置窗宽窗位和视图</translation>
    </message>
    <message>
        <source>Alt+0</source>
        <translation>Alt+0</translation>
    </message>
    <message>
        <source>Invert</source>
        <translation>反相</translation>
    </message>
    <message>
        <source>Alt+I</source>
        <translation>Alt+I</translation>
    </message>
    <message>
        <source>Overlays</source>
        <translation>叠加信息</translation>
    </message>
    <message>
        <source>Alt+O</source>
        <translation>Alt+O</translation>
    </message>
    <message>
        <source>&amp;Prior side by side</source>
        <translation>并排显示既往检查(&amp;P)</translation>
    </message>
    <message>
        <source>Alt+P</source>
        <translation>Alt+P</translation>
    </message>
    <message>
        <source>This study has no prior.</source>
        <translation>此检查没有既往检查。</translation>
    </message>
    <message>
        <source>Actual pixels (1:1)</source>
        <translation>实际像素（1:1）</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Shortcuts</source>
        <translation>快捷键(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>About FedMRG</source>
        <translation>关于 FedMRG</translation>
    </message>
    <message>
        <source>FedMRG Workstation. Generated reports are drafts: a radiologist reviews and signs every report.</source>
        <translation>FedMRG 工作站。生成的报告均为草稿：每份报告均由放射科医师审核并签署。</translation>
    </message>
    <message>
        <source>The program and what its drafts are</source>
        <translation>本程序及其草稿的性质</translation>
    </message>
    <message>
        <source>&amp;Measure</source>
        <translation>测量(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Distance</source>
        <translation>距离(&amp;D)</translation>
    </message>
    <message>
        <source>Alt+D</source>
        <translation>Alt+D</translation>
    </message>
    <message>
        <source>&amp;Angle</source>
        <translation>角度(&amp;A)</translation>
    </message>
    <message>
        <source>Alt+A</source>
        <translation>Alt+A</translation>
    </message>
    <message>
        <source>&amp;Cardiothoracic ratio</source>
        <translation>心胸比(&amp;C)</translation>
    </message>
    <message>
        <source>Alt+C</source>
        <translation>Alt+C</translation>
    </message>
    <message>
        <source>Cancel measurement</source>
        <translation>取消测量</translation>
    </message>
    <message>
        <source>Remove measurement</source>
        <translation>删除测量</translation>
    </message>
    <message>
        <source>&amp;Insert measurements into report</source>
        <translation>将测量插入报告(&amp;I)</translation>
    </message>
    <message>
        <source>Ctrl+Alt+M</source>
        <translation>Ctrl+Alt+M</translation>
    </message>
    <message>
        <source>The image has no measurements.</source>
        <translation>该图像没有测量。</translation>
    </message>
    <message>
        <source>The report cannot be edited: the measurements were not inserted.</source>
        <translation>报告无法编辑：测量未插入。</translation>
    </message>
    <message>
        <source>&amp;Report</source>
        <translation>报告(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Generate draft</source>
        <translation>生成草稿(&amp;G)</translation>
    </message>
    <message>
        <source>Ctrl+G</source>
        <translation>Ctrl+G</translation>
    </message>
    <message>
        <source>No draft now: no study is open, the report is final, or a draft is running.</source>
        <translation>现在无法生成草稿：未打开检查、报告已为最终状态，或草稿正在生成。</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Sign &amp;preliminary</source>
        <translation>初步签署(&amp;P)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <source>Sign &amp;final</source>
        <translation>最终签署(&amp;F)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation>Ctrl+Shift+F</translation>
    </message>
    <message>
        <source>Sign final and open &amp;next</source>
        <translation>最终签署并打开下一个(&amp;N)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Return</source>
        <translation>Ctrl+Shift+Return</translation>
    </message>
    <message>
        <source>Insert &amp;template…</source>
        <translation>插入模板(&amp;T)…</translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <source>Insert n&amp;ormal chest</source>
        <translation>插入胸部正常模板(&amp;O)</translation>
    </message>
    <message>
        <source>Ctrl+Alt+N</source>
        <translation>Ctrl+Alt+N</translation>
    </message>
    <message>
        <source>&amp;Manage templates…</source>
        <translation>管理模板(&amp;M)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+T</source>
        <translation>Ctrl+Shift+T</translation>
    </message>
    <message>
        <source>&amp;Chips (keyboard)</source>
        <translation>标签（键盘）(&amp;C)</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>Only a final report takes an addendum or is exported as SR.</source>
        <translation>只有最终报告才能添加补充或导出为 SR。</translation>
    </message>
    <message>
        <source>&amp;Addendum…</source>
        <translation>补充(&amp;A)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+D</source>
        <translation>Ctrl+Shift+D</translation>
    </message>
    <message>
        <source>&amp;Export SR…</source>
        <translation>导出 SR(&amp;E)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>&amp;Versions and differences</source>
        <translation>版本与差异(&amp;V)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+H</source>
        <translation>Ctrl+Shift+H</translation>
    </message>
    <message>
        <source>A&amp;udit log</source>
        <translation>审计日志(&amp;U)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation>Ctrl+Shift+L</translation>
    </message>
    <message>
        <source>&amp;Prior report…</source>
        <translation>既往检查报告(&amp;P)…</translation>
    </message>
    <message>
        <source>Alt+Shift+P</source>
        <translation>Alt+Shift+P</translation>
    </message>
    <message>
        <source>This is the last study in the worklist.</source>
        <translation>这是工作列表中的最后一个检查。</translation>
    </message>
    <message>
        <source>This is the first study in the worklist.</source>
        <translation>这是工作列表中的第一个检查。</translation>
    </message>
    <message>
        <source>Not signed: a draft is being generated.</source>
        <translation>未签署：正在生成草稿。</translation>
    </message>
    <message>
        <source>Signed. No study left to sign in the worklist.</source>
        <translation>已签署。工作列表中没有待签署的检查了。</translation>
    </message>
    <message>
        <source>Open a study to insert a template.</source>
        <translation>请打开一个检查以插入模板。</translation>
    </message>
    <message>
        <source>Open a study to insert the normal macro.</source>
        <translation>请打开一个检查以插入正常模板。</translation>
    </message>
    <message>
        <source>%1 studies — new %2, draft %3, preliminary %4, final %5</source>
        <translation>%1 个检查 — 新 %2，草稿 %3，初步 %4，最终 %5</translation>
    </message>
    <message>
        <source>Importing DICOM files…</source>
        <translation>正在导入 DICOM 文件…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Imported %1 images (%2 duplicates, %3 errors)%4</source>
        <translation>已导入 %1 幅图像（%2 个重复，%3 个错误）%4</translation>
    </message>
    <message>
        <source>, cancelled</source>
        <translation>，已取消</translation>
    </message>
    <message>
        <source>Import report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <source>%1 files scanned: %2 imported, %3 duplicates, %4 errors%5</source>
        <translation>已扫描 %1 个文件：导入 %2 个，重复 %3 个，错误 %4 个%5</translation>
    </message>
    <message>
        <source> (cancelled)</source>
        <translation>（已取消）</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>The study has no images.</source>
        <translation>该检查没有图像。</translation>
    </message>
    <message>
        <source>The unsaved report text could not be kept, so the study stays open: %1</source>
        <translation>无法保留未保存的报告文本，因此该检查保持打开：%1</translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Managing users</source>
        <translation>管理用户</translation>
    </message>
    <message>
        <source>the federation panel (administrators)</source>
        <translation>联邦学习面板（管理员）</translation>
    </message>
    <message>
        <source>&amp;Federation…</source>
        <translation>联邦学习(&amp;F)…</translation>
    </message>
    <message>
        <source>Ctrl+Alt+F</source>
        <translation>Ctrl+Alt+F</translation>
    </message>
    <message>
        <source>Coordinator, certificates, rounds and model versions (administrators)</source>
        <translation>协调器、证书、轮次和模型版本（管理员）</translation>
    </message>
    <message>
        <source>Signed reports waiting for training: %1</source>
        <translation>等待训练的已签署报告：%1</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::MeasurementOverlay</name>
    <message>
        <source>Distance: click the first end</source>
        <translation>距离：单击第一个端点</translation>
    </message>
    <message>
        <source>Distance: click the second end</source>
        <translation>距离：单击第二个端点</translation>
    </message>
    <message>
        <source>Angle: click a point on the first arm</source>
        <translation>角度：单击第一条边上的一点</translation>
    </message>
    <message>
        <source>Angle: click the vertex</source>
        <translation>角度：单击顶点</translation>
    </message>
    <message>
        <source>Angle: click a point on the second arm</source>
        <translation>角度：单击第二条边上的一点</translation>
    </message>
    <message>
        <source>CTR: click the heart&apos;s left and right borders (%1 of 2)</source>
        <translation>心胸比：单击心脏左、右缘（第 %1 / 2 点）</translation>
    </message>
    <message>
        <source>CTR: click the thorax&apos;s left and right inner margins (%1 of 2)</source>
        <translation>心胸比：单击胸廓左、右内缘（第 %1 / 2 点）</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PacsQueryPanel</name>
    <message>
        <source>e.g. DOE^J*</source>
        <translation>例如 DOE^J*</translation>
    </message>
    <message>
        <source>Study date from</source>
        <translation>检查日期从</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>任意</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Retrieve</source>
        <translation>检索</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Ask the chosen PACS for the studies that match the fields above</source>
        <translation>向所选 PACS 查询与上方字段匹配的检查</translation>
    </message>
    <message>
        <source>Copy the selected studies from the PACS into the worklist</source>
        <translation>将所选检查从 PACS 复制到工作列表</translation>
    </message>
    <message>
        <source>Stop the search or retrieval in progress</source>
        <translation>停止正在进行的搜索或检索</translation>
    </message>
    <message>
        <source>Retrieve results in the background</source>
        <translation>在后台检索结果</translation>
    </message>
    <message>
        <source>After each search, retrieve every listed study that is not in the worklist yet, so that it opens at once.</source>
        <translation>每次搜索后，检索列出的所有尚未在工作列表中的检查，以便立即打开。</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>患者 ID</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>检查设备</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>PACS</source>
        <translation>PACS</translation>
    </message>
    <message>
        <source>Patient name</source>
        <translation>患者姓名</translation>
    </message>
    <message>
        <source>Accession</source>
        <translation>检查号</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>No PACS node is set up: an administrator adds one in PACS settings.</source>
        <translation>尚未设置 PACS 节点：请管理员在 PACS 设置中添加。</translation>
    </message>
    <message>
        <source>The first date is after the last one.</source>
        <translation>起始日期晚于结束日期。</translation>
    </message>
    <message>
        <source>Searching %1…</source>
        <translation>正在搜索 %1…</translation>
    </message>
    <message>
        <source>Search cancelled; studies so far: %1.</source>
        <translation>搜索已取消；目前找到的检查：%1。</translation>
    </message>
    <message>
        <source>Studies found: %1.</source>
        <translation>找到的检查：%1。</translation>
    </message>
    <message>
        <source>In worklist</source>
        <translation>已在工作列表中</translation>
    </message>
    <message>
        <source>Select the studies to retrieve.</source>
        <translation>请选择要检索的检查。</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Retrieving studies: %1…</source>
        <translation>正在检索检查：%1…</translation>
    </message>
    <message>
        <source>Retrieving…</source>
        <translation>正在检索…</translation>
    </message>
    <message>
        <source>%1 of %2 images</source>
        <translation>%1 / %2 幅图像</translation>
    </message>
    <message>
        <source>%1 images</source>
        <translation>%1 幅图像</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Cancelled (%1 images kept)</source>
        <translation>已取消（保留 %1 幅图像）</translation>
    </message>
    <message>
        <source> — not imported: %1 (%2)</source>
        <translation> — 未导入：%1（%2）</translation>
    </message>
    <message>
        <source>Studies retrieved: %1 (images: %2).</source>
        <translation>已检索的检查：%1（图像：%2）。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Failed: %1 (%2)</source>
        <translation>失败：%1（%2）</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Search only the studies between the two dates; unticked, any date</source>
        <translation>只搜索两个日期之间的检查；不勾选则不限日期</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PacsSender</name>
    <message>
        <source>The report was not queued for the PACS: %1</source>
        <translation>报告未加入 PACS 发送队列：%1</translation>
    </message>
    <message>
        <source>Reports stored on the PACS: %1.</source>
        <translation>已存储到 PACS 的报告：%1。</translation>
    </message>
    <message>
        <source>PACS: sending…</source>
        <translation>PACS：正在发送…</translation>
    </message>
    <message>
        <source>PACS: reports waiting: %1</source>
        <translation>PACS：等待发送的报告：%1</translation>
    </message>
    <message>
        <source> (sending…)</source>
        <translation>（正在发送…）</translation>
    </message>
    <message>
        <source>Next try at %1.</source>
        <translation>下次尝试时间：%1。</translation>
    </message>
    <message>
        <source>Last failure: %1</source>
        <translation>上次失败：%1</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PacsSettingsDialog</name>
    <message>
        <source>PACS settings</source>
        <translation>PACS 设置</translation>
    </message>
    <message>
        <source>C-GET (the images come back on the query&apos;s connection)</source>
        <translation>C-GET（图像通过查询连接返回）</translation>
    </message>
    <message>
        <source>C-MOVE (the PACS sends them to this workstation&apos;s port)</source>
        <translation>C-MOVE（PACS 将图像发送到本工作站的端口）</translation>
    </message>
    <message>
        <source>Default node: signed reports are sent here</source>
        <translation>默认节点：已签署的报告发送至此</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Save node</source>
        <translation>保存节点(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>Send each signed final report and addendum to the default node as DICOM SR</source>
        <translation>将每份已签署的最终报告和补充以 DICOM SR 形式发送到默认节点</translation>
    </message>
    <message>
        <source>Save &amp;workstation</source>
        <translation>保存工作站(&amp;W)</translation>
    </message>
    <message>
        <source>Empty the fields for a new PACS node (Alt+N)</source>
        <translation>清空字段以添加新的 PACS 节点（Alt+N）</translation>
    </message>
    <message>
        <source>Keep the node&apos;s fields (Alt+S)</source>
        <translation>保存节点的字段（Alt+S）</translation>
    </message>
    <message>
        <source>Remove the selected node (Alt+R)</source>
        <translation>删除所选节点（Alt+R）</translation>
    </message>
    <message>
        <source>Send a C-ECHO to the node and say whether it answered (Alt+T)</source>
        <translation>向节点发送 C-ECHO 并显示其是否应答（Alt+T）</translation>
    </message>
    <message>
        <source>Keep this workstation&apos;s own AE title and port (Alt+W)</source>
        <translation>保存本工作站自己的 AE 标题和端口（Alt+W）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>AE title</source>
        <translation>AE 标题</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Retrieve by</source>
        <translation>检索方式</translation>
    </message>
    <message>
        <source>PACS nodes</source>
        <translation>PACS 节点</translation>
    </message>
    <message>
        <source>Storage port (C-MOVE)</source>
        <translation>存储端口（C-MOVE）</translation>
    </message>
    <message>
        <source>This workstation</source>
        <translation>本工作站</translation>
    </message>
    <message>
        <source> (default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation>已删除。</translation>
    </message>
    <message>
        <source>Workstation saved.</source>
        <translation>工作站已保存。</translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation>正在测试 %1…</translation>
    </message>
    <message>
        <source>Connection OK: %1 (%2) answered the C-ECHO in %3 ms.</source>
        <translation>连接正常：%1（%2）在 %3 毫秒内应答了 C-ECHO。</translation>
    </message>
    <message>
        <source>Connection failed: %1</source>
        <translation>连接失败：%1</translation>
    </message>
    <message>
        <source>The node that receives the signed reports; one node at most</source>
        <translation>接收已签署报告的节点；最多一个</translation>
    </message>
    <message>
        <source>Unticked, reports are sent only with PACS &gt; Send report to PACS</source>
        <translation>不勾选时，仅通过“PACS &gt; 发送报告到 PACS”发送报告</translation>
    </message>
    <message>
        <source>Changing the PACS settings</source>
        <translation>更改 PACS 设置</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PacsWindowHook</name>
    <message>
        <source>PACS query</source>
        <translation>PACS 查询</translation>
    </message>
    <message>
        <source>PAC&amp;S</source>
        <translation>PACS(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Query and retrieve</source>
        <translation>查询与检索(&amp;Q)</translation>
    </message>
    <message>
        <source>Ctrl+Alt+Q</source>
        <translation>Ctrl+Alt+Q</translation>
    </message>
    <message>
        <source>&amp;Send report to PACS</source>
        <translation>发送报告到 PACS(&amp;S)</translation>
    </message>
    <message>
        <source>Ctrl+Alt+S</source>
        <translation>Ctrl+Alt+S</translation>
    </message>
    <message>
        <source>Only a signed final report is sent to the PACS.</source>
        <translation>只有已签署的最终报告才会发送到 PACS。</translation>
    </message>
    <message>
        <source>&amp;Retry waiting reports now</source>
        <translation>立即重试等待的报告(&amp;R)</translation>
    </message>
    <message>
        <source>Ctrl+Alt+R</source>
        <translation>Ctrl+Alt+R</translation>
    </message>
    <message>
        <source>PACS s&amp;ettings…</source>
        <translation>PACS 设置(&amp;E)…</translation>
    </message>
    <message>
        <source>Ctrl+Alt+E</source>
        <translation>Ctrl+Alt+E</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PatientBanner</name>
    <message>
        <source>No study open</source>
        <translation>未打开检查</translation>
    </message>
    <message>
        <source>Unknown study</source>
        <translation>未知检查</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>ID %1 · born %2 · sex %3 · study %4 · accession %5</source>
        <translation>ID %1 · 出生 %2 · 性别 %3 · 检查 %4 · 检查号 %5</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PriorPanel</name>
    <message>
        <source>Prior report…</source>
        <translation>既往检查报告…</translation>
    </message>
    <message>
        <source>The prior&apos;s signed report, read-only (Alt+Shift+P)</source>
        <translation>既往检查的已签署报告，只读（Alt+Shift+P）</translation>
    </message>
    <message>
        <source>Prior image viewer</source>
        <translation>既往检查图像查看器</translation>
    </message>
    <message>
        <source>Same name and birth date, other patient ID: %1 (open study: %2)</source>
        <translation>姓名和出生日期相同，患者 ID 不同：%1（当前检查：%2）</translation>
    </message>
    <message>
        <source>No prior shown: this study has no date, so which of the patient&apos;s %1 other studies came before is unknown.</source>
        <translation>未显示既往检查：本检查没有日期，无法确定患者其他 %1 个检查中哪个在前。</translation>
    </message>
    <message>
        <source>No prior shown: the patient&apos;s other studies are later or have no date (%1 without a date).</source>
        <translation>未显示既往检查：患者的其他检查较晚或没有日期（%1 个无日期）。</translation>
    </message>
    <message>
        <source>No prior: this is the patient&apos;s oldest study.</source>
        <translation>无既往检查：这是该患者最早的检查。</translation>
    </message>
    <message>
        <source>The prior has no signed report.</source>
        <translation>既往检查没有已签署的报告。</translation>
    </message>
    <message>
        <source>FINAL — signed by %1, %2</source>
        <translation>最终 — 由 %1 签署，%2</translation>
    </message>
    <message>
        <source>PRELIMINARY — not final — signed by %1, %2</source>
        <translation>初步 — 非最终 — 由 %1 签署，%2</translation>
    </message>
    <message>
        <source>FINDINGS</source>
        <translation>影像所见</translation>
    </message>
    <message>
        <source>IMPRESSION</source>
        <translation>印象</translation>
    </message>
    <message>
        <source>ADDENDUM — %1, %2</source>
        <translation>补充 — %1，%2</translation>
    </message>
    <message>
        <source>Prior report</source>
        <translation>既往检查报告</translation>
    </message>
    <message>
        <source>Copy to COMPARISON</source>
        <translation>复制到 COMPARISON</translation>
    </message>
    <message>
        <source>Puts &quot;COMPARISON: &lt;date&gt; &lt;description&gt;.&quot; first in the open study&apos;s findings</source>
        <translation>将 &quot;COMPARISON: &lt;日期&gt; &lt;描述&gt;.&quot; 放在当前检查所见的开头</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::ReportEditor</name>
    <message>
        <source>report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>addendum</source>
        <translation>补充</translation>
    </message>
    <message>
        <source>FINDINGS</source>
        <translation>影像所见</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>影像所见</translation>
    </message>
    <message>
        <source>IMPRESSION</source>
        <translation>印象</translation>
    </message>
    <message>
        <source>Impression</source>
        <translation>印象</translation>
    </message>
    <message>
        <source>Addenda</source>
        <translation>补充</translation>
    </message>
    <message>
        <source>Generate draft</source>
        <translation>生成草稿</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Sign preliminary</source>
        <translation>初步签署</translation>
    </message>
    <message>
        <source>Sign final</source>
        <translation>最终签署</translation>
    </message>
    <message>
        <source>Addendum</source>
        <translation>补充</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Export SR…</source>
        <translation>导出 SR…</translation>
    </message>
    <message>
        <source>Draft the findings, impression and chips from the open image (Ctrl+G)</source>
        <translation>根据当前图像起草所见、印象和标签（Ctrl+G）</translation>
    </message>
    <message>
        <source>Stop the draft being generated; the report is left as it was</source>
        <translation>停止正在生成的草稿；报告保持原样</translation>
    </message>
    <message>
        <source>Keep the text and the chips as a new version (Ctrl+S)</source>
        <translation>将文本和标签保存为新版本（Ctrl+S）</translation>
    </message>
    <message>
        <source>Sign the report preliminary (Ctrl+Shift+P)</source>
        <translation>初步签署报告（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <source>Sign the report final: it becomes read-only and enters the training queue (Ctrl+Shift+F)</source>
        <translation>最终签署报告：报告变为只读并进入训练队列（Ctrl+Shift+F）</translation>
    </message>
    <message>
        <source>Add an addendum to the final report (Ctrl+Shift+D)</source>
        <translation>为最终报告添加补充（Ctrl+Shift+D）</translation>
    </message>
    <message>
        <source>Every version of the report with its differences (Ctrl+Shift+H)</source>
        <translation>报告的每个版本及其差异（Ctrl+Shift+H）</translation>
    </message>
    <message>
        <source>Who did what to this study, and when (Ctrl+Shift+L)</source>
        <translation>谁在何时对本检查做了什么（Ctrl+Shift+L）</translation>
    </message>
    <message>
        <source>Write the final report as a DICOM SR into the study (Ctrl+Shift+E)</source>
        <translation>将最终报告以 DICOM SR 写入本检查（Ctrl+Shift+E）</translation>
    </message>
    <message>
        <source>Restored unsaved text from %1.</source>
        <translation>已恢复 %1 的未保存文本。</translation>
    </message>
    <message>
        <source>%1 left unsaved text on this study (%2); it is not shown here.</source>
        <translation>%1 在本检查上留下了未保存的文本（%2）；此处不显示。</translation>
    </message>
    <message>
        <source>Another session</source>
        <translation>另一个会话</translation>
    </message>
    <message>
        <source>Model trained on: %1.</source>
        <translation>模型训练数据：%1。</translation>
    </message>
    <message>
        <source>Warning: this may not be a chest radiograph the model knows. Chest radiograph check: %1. %2</source>
        <translation>警告：这可能不是模型所熟悉的胸片。胸片检查：%1。%2</translation>
    </message>
    <message>
        <source>Chest radiograph check: %1. %2</source>
        <translation>胸片检查：%1。%2</translation>
    </message>
    <message>
        <source>ADDENDUM (%1, %2): %3</source>
        <translation>补充（%1，%2）：%3</translation>
    </message>
    <message>
        <source>DRAFT — not signed</source>
        <translation>草稿 — 未签署</translation>
    </message>
    <message>
        <source>FINAL — signed</source>
        <translation>最终 — 已签署</translation>
    </message>
    <message>
        <source>PRELIMINARY — not final</source>
        <translation>初步 — 非最终</translation>
    </message>
    <message>
        <source>an unknown user</source>
        <translation>未知用户</translation>
    </message>
    <message>
        <source>Signed FINAL by %1 on %2</source>
        <translation>由 %1 于 %2 最终签署</translation>
    </message>
    <message>
        <source>Signed PRELIMINARY by %1 on %2 — not final</source>
        <translation>由 %1 于 %2 初步签署 — 非最终</translation>
    </message>
    <message>
        <source>No study open</source>
        <translation>未打开检查</translation>
    </message>
    <message>
        <source>  (unsaved changes)</source>
        <translation>  （有未保存的更改）</translation>
    </message>
    <message>
        <source>This report is signed PRELIMINARY. A new draft replaces the signed text and returns the report to DRAFT.</source>
        <translation>本报告已初步签署。新草稿将替换已签署的文本，并使报告退回草稿状态。</translation>
    </message>
    <message>
        <source>A new draft replaces the text in the editor.</source>
        <translation>新草稿将替换编辑器中的文本。</translation>
    </message>
    <message>
        <source> The current text is kept as a version, and Undo brings it back. Generate a new draft?</source>
        <translation> 当前文本将保存为一个版本，可通过撤销恢复。是否生成新草稿？</translation>
    </message>
    <message>
        <source>Replace the report text</source>
        <translation>替换报告文本</translation>
    </message>
    <message>
        <source>No draft generated; the text is unchanged.</source>
        <translation>未生成草稿；文本未更改。</translation>
    </message>
    <message>
        <source>Generating a draft…</source>
        <translation>正在生成草稿…</translation>
    </message>
    <message>
        <source>Draft generation cancelled.</source>
        <translation>草稿生成已取消。</translation>
    </message>
    <message>
        <source>Draft generated by the model: check every sentence before signing.</source>
        <translation>草稿由模型生成：签署前请核对每一句。</translation>
    </message>
    <message>
        <source> The previous text is kept in Versions; Undo brings it back.</source>
        <translation> 之前的文本保存在“版本”中；撤销可将其恢复。</translation>
    </message>
    <message>
        <source>Withdraw the preliminary sign-off</source>
        <translation>撤回初步签署</translation>
    </message>
    <message>
        <source>This report is signed PRELIMINARY. Saving the changes withdraws the sign-off and returns the report to DRAFT; the signed version stays in Versions. Save?</source>
        <translation>本报告已初步签署。保存更改将撤回签署并使报告退回草稿状态；已签署的版本保留在“版本”中。是否保存？</translation>
    </message>
    <message>
        <source>Not saved: the report stays PRELIMINARY, and your text stays in the editor.</source>
        <translation>未保存：报告仍为初步状态，您的文本保留在编辑器中。</translation>
    </message>
    <message>
        <source>Saved as a draft; the preliminary sign-off is withdrawn.</source>
        <translation>已保存为草稿；初步签署已撤回。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Not signed: %1.</source>
        <translation>未签署：%1。</translation>
    </message>
    <message>
        <source>The chips disagree with the text: %1.</source>
        <translation>标签与文本不一致：%1。</translation>
    </message>
    <message>
        <source>The chips disagree with the text:
%1

The chips are what the training queue records. Sign with the chips as they are?</source>
        <translation>标签与文本不一致：
%1

训练队列记录的是标签。是否按当前标签签署？</translation>
    </message>
    <message>
        <source>Chips and text disagree</source>
        <translation>标签与文本不一致</translation>
    </message>
    <message>
        <source>Sign this report as FINAL? It can then only be changed by an addendum.</source>
        <translation>将本报告最终签署？之后只能通过补充进行更改。</translation>
    </message>
    <message>
        <source>Sign this report as PRELIMINARY?</source>
        <translation>将本报告初步签署？</translation>
    </message>
    <message>
        <source>Sign report</source>
        <translation>签署报告</translation>
    </message>
    <message>
        <source>Signed as final; added to the training queue (nothing trains from it yet).</source>
        <translation>已最终签署；已加入训练队列（目前尚未用于训练）。</translation>
    </message>
    <message>
        <source>Signed as preliminary.</source>
        <translation>已初步签署。</translation>
    </message>
    <message>
        <source>Addendum to the final report:</source>
        <translation>最终报告的补充：</translation>
    </message>
    <message>
        <source>Addendum added.</source>
        <translation>补充已添加。</translation>
    </message>
    <message>
        <source>Export the final report as DICOM SR</source>
        <translation>将最终报告导出为 DICOM SR</translation>
    </message>
    <message>
        <source>DICOM files (*.dcm)</source>
        <translation>DICOM 文件 (*.dcm)</translation>
    </message>
    <message>
        <source>Exported as DICOM SR to %1.</source>
        <translation>已导出为 DICOM SR：%1。</translation>
    </message>
    <message>
        <source>Report versions</source>
        <translation>报告版本</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Written by</source>
        <translation>撰写者</translation>
    </message>
    <message>
        <source>Saved by</source>
        <translation>保存者</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Addendum: added to the final report</source>
        <translation>补充：已添加到最终报告</translation>
    </message>
    <message>
        <source>Changes from v%1</source>
        <translation>相对 v%1 的更改</translation>
    </message>
    <message>
        <source>First version</source>
        <translation>第一个版本</translation>
    </message>
    <message>
        <source>The report cannot be edited now: a final report takes the comparison in an addendum.</source>
        <translation>报告现在无法编辑：最终报告的对比须写在补充中。</translation>
    </message>
    <message>
        <source>Template not inserted: the report is final or a draft is being generated.</source>
        <translation>模板未插入：报告已为最终状态，或正在生成草稿。</translation>
    </message>
    <message>
        <source>Template not inserted: no study is open.</source>
        <translation>模板未插入：未打开检查。</translation>
    </message>
    <message>
        <source>Inserted the template &quot;%1&quot;; Undo in a section brings its previous text back.</source>
        <translation>已插入模板“%1”；在某一部分中撤销可恢复其之前的文本。</translation>
    </message>
    <message>
        <source>The chips cannot be changed: no study is open or the report is final.</source>
        <translation>无法更改标签：未打开检查，或报告已为最终状态。</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::SetupDialog</name>
    <message>
        <source>Create the site</source>
        <translation>创建站点</translation>
    </message>
    <message>
        <source>No site exists at %1 yet. Create it: its database (study details, reports, users, audit log) is encrypted with the passphrase, which cannot be recovered if it is lost. Imported DICOM files are kept unencrypted in the site&apos;s images folder.</source>
        <translation>%1 处尚无站点。请创建站点：其数据库（检查信息、报告、用户、审计日志）使用口令加密，口令丢失后无法恢复。导入的 DICOM 文件以未加密形式保存在站点的 images 文件夹中。</translation>
    </message>
    <message>
        <source>Site name</source>
        <translation>站点名称</translation>
    </message>
    <message>
        <source>Store passphrase</source>
        <translation>存储口令</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>再次输入口令</translation>
    </message>
    <message>
        <source>Administrator user name</source>
        <translation>管理员用户名</translation>
    </message>
    <message>
        <source>Administrator full name</source>
        <translation>管理员全名</translation>
    </message>
    <message>
        <source>Administrator password</source>
        <translation>管理员密码</translation>
    </message>
    <message>
        <source>The passphrase needs at least 8 characters.</source>
        <translation>口令至少需要 8 个字符。</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <source>The administrator also reads and signs reports (radiologist role)</source>
        <translation>管理员也阅片并签署报告（放射科医师角色）</translation>
    </message>
    <message>
        <source>Only radiologists sign reports. Leave this off when the administrator is not a radiologist; radiologists are added later under File, Users.</source>
        <translation>只有放射科医师可以签署报告。如果管理员不是放射科医师，请不要勾选；放射科医师可稍后在“文件 &gt; 用户”中添加。</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::TemplateChooser</name>
    <message>
        <source>Insert a template</source>
        <translation>插入模板</translation>
    </message>
    <message>
        <source>Type to filter by name; Enter inserts</source>
        <translation>输入以按名称筛选；回车插入</translation>
    </message>
    <message>
        <source>No template matches.</source>
        <translation>没有匹配的模板。</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::TemplateDialog</name>
    <message>
        <source>Report templates</source>
        <translation>报告模板</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>FINDINGS</source>
        <translation>影像所见</translation>
    </message>
    <message>
        <source>IMPRESSION</source>
        <translation>印象</translation>
    </message>
    <message>
        <source>Chips</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Take from the open report</source>
        <translation>从当前报告获取</translation>
    </message>
    <message>
        <source>Fills the text and the chips from the report being edited</source>
        <translation>用正在编辑的报告填充文本和标签</translation>
    </message>
    <message>
        <source>No chips</source>
        <translation>无标签</translation>
    </message>
    <message>
        <source>Leave every chip blank in the template</source>
        <translation>模板中所有标签均留空</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Saves the selected template; a new name renames it</source>
        <translation>保存所选模板；输入新名称即可重命名</translation>
    </message>
    <message>
        <source>Add as new</source>
        <translation>添加为新模板</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Save the fields as a new template</source>
        <translation>将字段保存为新模板</translation>
    </message>
    <message>
        <source>Delete the selected template</source>
        <translation>删除所选模板</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::TrainingStatusWidget</name>
    <message>
        <source>Cancel training</source>
        <translation>取消训练</translation>
    </message>
    <message>
        <source>Stop the background training; its signed reports wait for the next run</source>
        <translation>停止后台训练；其已签署报告将等待下一次运行</translation>
    </message>
    <message>
        <source>Training the site&apos;s adapters…</source>
        <translation>正在训练站点的适配器…</translation>
    </message>
    <message>
        <source>Cancelling training…</source>
        <translation>正在取消训练…</translation>
    </message>
    <message numerus="yes">
        <source>Resuming training on %n signed report(s)…</source>
        <translation>
            <numerusform>正在继续使用 %n 份已签署报告进行训练…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training on %n signed report(s)…</source>
        <translation>
            <numerusform>正在使用 %n 份已签署报告进行训练…</numerusform>
        </translation>
    </message>
    <message>
        <source>Training: step %1 of %2, about %3 left</source>
        <translation>训练：第 %1 步，共 %2 步，约剩 %3</translation>
    </message>
    <message>
        <source>Training paused while a draft is generated</source>
        <translation>生成草稿期间训练已暂停</translation>
    </message>
    <message>
        <source>Training done: a new adapter version</source>
        <translation>训练完成：新的适配器版本</translation>
    </message>
    <message>
        <source>Training stopped</source>
        <translation>训练已停止</translation>
    </message>
    <message numerus="yes">
        <source>Quality gate: checking v%1 on %n held-back report(s)…</source>
        <translation>
            <numerusform>质量检查：正在用 %n 份留出报告检查 v%1…</numerusform>
        </translation>
    </message>
    <message>
        <source>New adapter version v%1 in use: the quality gate accepted it</source>
        <translation>新适配器版本 v%1 已启用：质量检查已通过</translation>
    </message>
    <message>
        <source>New adapter version v%1 not used: %2</source>
        <translation>新适配器版本 v%1 未启用：%2</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::UnlockDialog</name>
    <message>
        <source>Unlock the site</source>
        <translation>解锁站点</translation>
    </message>
    <message>
        <source>The database of the site at %1 is encrypted.</source>
        <translation>位于 %1 的站点数据库已加密。</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>Wrong passphrase.</source>
        <translation>口令错误。</translation>
    </message>
    <message>
        <source>Try again.</source>
        <translation>请重试。</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::UsersDialog</name>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>全名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>radiologist (signs reports)</source>
        <translation>放射科医师（签署报告）</translation>
    </message>
    <message>
        <source>admin (users, PACS, audit export, federation)</source>
        <translation>管理员（用户、PACS、审计导出、联邦学习）</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Set roles of the selected user</source>
        <translation>设置所选用户的角色</translation>
    </message>
    <message>
        <source>Select the user whose roles to set.</source>
        <translation>请选择要设置角色的用户。</translation>
    </message>
    <message>
        <source>Add a local user with the name, password and roles above</source>
        <translation>使用上方的名称、密码和角色添加本地用户</translation>
    </message>
    <message>
        <source>Give the user selected in the list the roles ticked above</source>
        <translation>将上方勾选的角色赋予列表中所选的用户</translation>
    </message>
</context>
</TS>
