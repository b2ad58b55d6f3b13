package io.alknet.socks5;

import io.alknet.api.frontend.Tunnel;
import io.alknet.netty.EventLoops;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;

/** UDP ASSOCIATE. */
final class UdpAssociation {

    private UdpAssociation() {
    }

    static void start(ChannelHandlerContext ctx, Tunnel tunnel, EventLoops.Lease loops) {
        ctx.writeAndFlush(Replies.reply(Socks5CommandStatus.COMMAND_UNSUPPORTED)).addListener(ChannelFutureListener.CLOSE);
    }
}
