package io.downline.commission.app;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.downline.commission.engine.PeriodSnapshot;

/**
 * A period's snapshot as the engine reads it, with each position's member code, and its stored form: the arrays in a
 * compressed binary record, so a closed period can be replayed over exactly what its close saw.
 */
public record CloseSnapshot(PeriodSnapshot snapshot, String[] codes) {

    private static final int FORMAT = 1;

    /** Position of each member id. */
    public Map<Long, Integer> positions() {
        long[] ids = snapshot.memberId();
        Map<Long, Integer> positions = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            positions.put(ids[i], i);
        }
        return positions;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PeriodSnapshot s = snapshot;
        // the fastest deflate level: the arrays compress almost as well, in a fraction of the default level's time
        // buffered in front of the deflater: it is then called once per 64 KB, not once per field
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(bytes, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }, 1 << 16))) {
            int n = s.size();
            out.writeInt(FORMAT);
            out.writeUTF(s.periodRef());
            out.writeLong(s.instantPaidMinor());
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeLong(s.memberId()[i]);
                out.writeInt(s.parent()[i]);
                out.writeByte(s.side()[i]);
                out.writeInt(s.sponsor()[i]);
                out.writeLong(s.pv()[i]);
                out.writeLong(s.bv()[i]);
                out.writeLong(s.carryLeft()[i]);
                out.writeLong(s.carryRight()[i]);
                out.writeInt(s.highestRank()[i]);
                out.writeByte((s.pairedBefore()[i] ? 1 : 0) | (s.active()[i] ? 2 : 0) | (s.kycVerified()[i] ? 4 : 0));
                out.writeUTF(codes[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static CloseSnapshot decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(new ByteArrayInputStream(data), 1 << 16), 1 << 16))) {
            if (in.readInt() != FORMAT) {
                throw new IllegalStateException("stored close snapshot has an unknown format");
            }
            String period = in.readUTF();
            long instantPaid = in.readLong();
            int n = in.readInt();
            Arrays arrays = new Arrays(n);
            String[] codes = new String[n];
            for (int i = 0; i < n; i++) {
                arrays.memberId[i] = in.readLong();
                arrays.parent[i] = in.readInt();
                arrays.side[i] = in.readByte();
                arrays.sponsor[i] = in.readInt();
                arrays.pv[i] = in.readLong();
                arrays.bv[i] = in.readLong();
                arrays.carryLeft[i] = in.readLong();
                arrays.carryRight[i] = in.readLong();
                arrays.highestRank[i] = in.readInt();
                int flags = in.readByte();
                arrays.pairedBefore[i] = (flags & 1) != 0;
                arrays.active[i] = (flags & 2) != 0;
                arrays.kycVerified[i] = (flags & 4) != 0;
                codes[i] = in.readUTF();
            }
            return new CloseSnapshot(arrays.snapshot(period, instantPaid), codes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engine's arrays while they are filled. */
    static final class Arrays {
        final long[] memberId;
        final int[] parent;
        final byte[] side;
        final int[] sponsor;
        final long[] pv;
        final long[] bv;
        final long[] carryLeft;
        final long[] carryRight;
        final int[] highestRank;
        final boolean[] pairedBefore;
        final boolean[] active;
        final boolean[] kycVerified;

        Arrays(int n) {
            memberId = new long[n];
            parent = new int[n];
            side = new byte[n];
            sponsor = new int[n];
            pv = new long[n];
            bv = new long[n];
            carryLeft = new long[n];
            carryRight = new long[n];
            highestRank = new int[n];
            pairedBefore = new boolean[n];
            active = new boolean[n];
            kycVerified = new boolean[n];
        }

        PeriodSnapshot snapshot(String period, long instantPaid) {
            return new PeriodSnapshot(period, memberId, parent, side, sponsor, pv, bv, carryLeft, carryRight, highestRank,
                    pairedBefore, active, kycVerified, instantPaid);
        }
    }
}
